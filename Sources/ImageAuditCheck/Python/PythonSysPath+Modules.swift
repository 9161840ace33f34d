import ImageAuditFS

/// Where `import NAME` finds a module on the path: importlib's `PathFinder` over the entries in
/// order, each directory searched by `FileFinder` (a package `NAME/__init__` first, then
/// `NAME` + each suffix: extension suffixes, `.py`, `.pyc`; a directory without `__init__` is a
/// namespace portion, used only when no entry has a module or package).
public struct PythonModule: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A `.py` or `.pyc` file.
        case source
        /// A shared object: the file the interpreter `dlopen`s.
        case extensionModule
        /// A package: `file` is its `__init__` (source or extension).
        case package
        /// A namespace package: `file` is its first directory.
        case namespace
        /// Not importable: only an extension module tagged for another interpreter is there
        /// (`mod.cpython-311-x86_64-linux-musl.so` for a glibc CPython): `ModuleNotFoundError`.
        case foreignExtension
    }

    public var name: String
    public var kind: Kind
    /// The file (or, for a namespace, the first directory) found.
    public var file: String
    /// The directories a package's submodules are searched in (`__path__`).
    public var searchPath: [String]
    /// The `sys.path` entry it was found under.
    public var entry: String
}

extension PythonSysPath {
    /// The module `name` (dotted names: each parent package first) as the interpreter would
    /// find it, or nil (not on the path: a built-in module, a zip import, or missing).
    public func resolveModule(_ name: String, in tree: FileTree) -> PythonModule? {
        var searchPath = directories
        var found: PythonModule?
        var qualified = ""
        for part in name.split(separator: ".").map(String.init) {
            qualified = qualified.isEmpty ? part : qualified + "." + part
            guard let module = find(part, qualified: qualified, in: searchPath, tree: tree) else { return nil }
            found = module
            searchPath = module.searchPath
            if module.kind == .source || module.kind == .extensionModule { searchPath = [] }
        }
        return found
    }

    /// When `name` is not found: a file where it would be that another CPython would import
    /// (another version or C library in its tag), for the finding's cause.
    public func foreignExtension(_ name: String, in tree: FileTree) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        var path = directories
        if parts.count > 1 {
            guard let parent = resolveModule(parts.dropLast().joined(separator: "."), in: tree) else { return nil }
            path = parent.searchPath
        }
        let last = parts[parts.count - 1]
        for entry in path {
            guard let dir = directoryNode(entry, tree) else { continue }
            for (child, _) in tree.children(of: dir) {
                let text = PathBytes.display(child)
                if text.hasPrefix(last + "."), Self.foreignTag(of: text) != nil,
                    !extensionSuffixes.contains(where: text.hasSuffix)
                {
                    return ImagePath.join(entry, text)
                }
            }
        }
        return nil
    }

    /// The tag of `mod.cpython-3X-TRIPLET.so` (`cpython-3X-TRIPLET`), or nil for another name.
    public static func foreignTag(of fileName: String) -> String? {
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "so", parts[1].hasPrefix("cpython-"),
            ModuleImports.isIdentifier(String(parts[0]))
        else { return nil }
        return String(parts[1])
    }

    private func find(_ name: String, qualified: String, in path: [String], tree: FileTree) -> PythonModule? {
        let suffixes =
            extensionSuffixes.map { ($0, PythonModule.Kind.extensionModule) }
            + [(".py", .source), (".pyc", .source)]
        var portions: [(dir: String, entry: String)] = []
        for entry in path {
            guard let dir = directoryNode(entry, tree) else { continue }
            if let sub = tree.child(of: dir, named: Array(name.utf8)), isDirectory(tree, sub) {
                let package = ImagePath.join(entry, name)
                for (suffix, _) in suffixes
                where isFile(tree, tree.child(of: sub, named: Array(("__init__" + suffix).utf8))) {
                    return PythonModule(
                        name: qualified, kind: .package, file: ImagePath.join(package, "__init__" + suffix),
                        searchPath: [package], entry: entry)
                }
                portions.append((package, entry))
            }
            for (suffix, kind) in suffixes where isFile(tree, tree.child(of: dir, named: Array((name + suffix).utf8))) {
                return PythonModule(
                    name: qualified, kind: kind, file: ImagePath.join(entry, name + suffix), searchPath: [],
                    entry: entry)
            }
        }
        guard let first = portions.first else { return nil }
        return PythonModule(
            name: qualified, kind: .namespace, file: first.dir, searchPath: portions.map(\.dir), entry: first.entry)
    }

    private func directoryNode(_ path: String, _ tree: FileTree) -> FileTree.NodeID? {
        guard let node = tree.node(at: path), tree.attributes(of: node).type == .directory else { return nil }
        return node
    }

    private func isDirectory(_ tree: FileTree, _ node: FileTree.NodeID) -> Bool {
        resolvedType(tree, node) == .directory
    }

    private func isFile(_ tree: FileTree, _ node: FileTree.NodeID?) -> Bool {
        node.map { resolvedType(tree, $0) == .regular } ?? false
    }

    /// The type after symlinks (a symlinked module or package counts as its target).
    private func resolvedType(_ tree: FileTree, _ node: FileTree.NodeID) -> FileType? {
        guard tree.attributes(of: node).type == .symlink else { return tree.attributes(of: node).type }
        return tree.node(at: PathBytes.display(tree.path(of: node))).map { tree.attributes(of: $0).type }
    }
}
