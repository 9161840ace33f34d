import ImageAuditFS

/// The extension modules a Python start imports, and whether each loads: the static import scan
/// of the entry (script, `-m` module or `-c` code) and of the packages and modules it imports
/// (their top-level `import`/`from` lines, outside the standard library), each extension module
/// found then `dlopen`ed from the interpreter through the loader model.
public enum ModuleImports {
    /// One imported module with the import chain that reaches it.
    public struct Imported: Sendable, Hashable {
        public var module: PythonModule
        /// "/app/main.py imports psycopg2", "psycopg2/__init__.py imports psycopg2._psycopg".
        public var via: [String]
    }

    /// At most this many modules are scanned per start (a bound on the work, not a rule).
    static let scanLimit = 2000

    /// The modules imported at start, breadth first; extension modules among them are `dlopen`ed.
    public static func imported(
        by invocation: PythonInvocation, sysPath: PythonSysPath, tree: FileTree, workingDirectory: String = "/"
    ) -> (modules: [Imported], notJudged: [String]) {
        var notJudged: [String] = []
        var pending: [(name: String, via: [String])] = []
        func scan(_ text: String, package: String?, from who: String, via: [String]) {
            for name in PythonImports.scan(text, package: package) {
                pending.append((name, via + ["\(who) imports \(name)"]))
            }
        }
        switch invocation.start {
        case .script(let path):
            let absolute = PyPath.absolute(path, in: workingDirectory)
            if let node = tree.node(at: absolute), let data = tree.content(of: node)?.data {
                scan(String(decoding: data, as: UTF8.self), package: nil, from: absolute, via: [])
            } else {
                notJudged.append("the imports of \(absolute) were not read")
            }
        case .module(let name):
            pending.append((name, ["-m \(name)"]))
        case .command:
            scan(invocation.code ?? "", package: nil, from: "-c", via: [])
        }
        let stdlib = Set(sysPath.entries.filter { [.stdlib, .zip].contains($0.origin) }.map(\.path))
        var seen: Set<String> = []
        var found: [Imported] = []
        var index = 0
        while index < pending.count, seen.count < scanLimit {
            let (name, via) = pending[index]
            index += 1
            // Importing a.b.c runs a, a.b, then a.b.c.
            let parts = name.split(separator: ".").map(String.init)
            for end in 1...parts.count {
                let qualified = parts[..<end].joined(separator: ".")
                guard seen.insert(qualified).inserted else { continue }
                guard let module = sysPath.resolveModule(qualified, in: tree) else {
                    if let file = sysPath.foreignExtension(qualified, in: tree) {
                        found.append(
                            Imported(
                                module: PythonModule(
                                    name: qualified, kind: .foreignExtension, file: file, searchPath: [], entry: ""),
                                via: via))
                    }
                    continue
                }
                let chain = end == parts.count ? via : via + ["importing \(name) runs \(qualified) first"]
                found.append(Imported(module: module, via: chain))
                guard module.file.hasSuffix(".py"), !stdlib.contains(module.entry),
                    let node = tree.node(at: module.file)
                else { continue }
                guard let data = tree.content(of: node)?.data else {
                    // Over its cap or past the budget: not judged. Never asked for (a module
                    // that is neither a package's __init__.py nor in a site directory): not scanned.
                    if let withheld = tree.content(of: node)?.withheld {
                        notJudged.append("the imports of \(module.file) were not read: \(withheld.description)")
                    }
                    continue
                }
                let package = module.kind == .package ? qualified : parts[..<(end - 1)].joined(separator: ".")
                let shown = ImagePath.basename(ImagePath.dirname(module.file)) + "/" + ImagePath.basename(module.file)
                scan(
                    String(decoding: data, as: UTF8.self), package: package.isEmpty ? nil : package, from: shown,
                    via: chain)
            }
        }
        if index < pending.count {
            notJudged.append("more than \(scanLimit) modules are imported at start; the rest were not scanned")
        }
        return (found, notJudged)
    }

    /// Every extension module on the path that this interpreter would accept by its file name
    /// (`--all-modules`), each directory walked once; packages below site directories included.
    /// - Parameter anyTag: also files tagged for another interpreter (`.cpython-310-…`, `…-linux-musl.so`),
    ///   which this one never imports but `dlopen` could still be tried on.
    public static func allExtensionModules(
        sysPath: PythonSysPath, tree: FileTree, anyTag: Bool = false, limit: Int = 20000
    ) -> [String] {
        let suffixes = sysPath.extensionSuffixes
        var result: [String] = []
        var visited: Set<FileTree.NodeID> = []
        for entry in sysPath.entries {
            guard let root = tree.node(at: entry.path), tree.attributes(of: root).type == .directory else { continue }
            var stack = [(root, entry.path)]
            while let (dir, path) = stack.popLast(), result.count < limit {
                guard visited.insert(dir).inserted else { continue }
                for (name, node) in tree.children(of: dir) {
                    let text = PathBytes.display(name)
                    let child = ImagePath.join(path, text)
                    switch tree.attributes(of: node).type {
                    // Only identifiers can be packages or modules (`numpy.libs`, `x-1.0.dist-info` are not).
                    case .directory: if isIdentifier(text) { stack.append((node, child)) }
                    case .regular, .symlink:
                        if let suffix = suffixes.first(where: { text.hasSuffix($0) }),
                            isIdentifier(String(text.dropLast(suffix.count)))
                        {
                            result.append(child)
                        } else if anyTag, PythonSysPath.foreignTag(of: text) != nil {
                            result.append(child)
                        }
                    default: break
                    }
                }
            }
        }
        return result.sorted()
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
