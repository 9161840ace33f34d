import Foundation
import ImageAuditELF
import ImageAuditFS

#if canImport(Glibc)
    import Glibc
#endif

/// This machine's own filesystem as an image `FileTree`, for checking the loader models against
/// the real loader with the host root as the image root.
///
/// Directories are walked without following symlinks (the tree resolves them itself). Regular
/// files are kept only when the loader can reach them: the programs, and, repeatedly, every file
/// whose name (or a symlink's name leading to it) is a `DT_NEEDED` name of something already read;
/// directories and symlinks are all kept, so paths resolve as on the disk.
/// `/etc/ld.so.cache`, `ld-*.so*` loaders and `/etc/ld-musl-*.path` are kept whole, as the layer
/// reader keeps them.
public enum HostFileTree {
    struct Entry: Sendable {
        let path: String
        let kind: LayerEntry.Kind
        let mode: UInt32
        let uid: UInt32
        let gid: UInt32
        let size: Int64
    }

    /// The default walk: the usual program and library directories, the root symlinks and `/etc` files the loaders read.
    public static let defaultRoots = [
        "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libx32", "/usr/libexec",
        "/usr/local/lib",
    ]

    /// One walk of this machine's program and library directories (symlinks not followed), to
    /// pick programs from and build trees of.
    public struct Walk: Sendable {
        let entries: [Entry]

        /// Walks the root symlinks and loader files, then `roots`.
        public init(roots: [String] = HostFileTree.defaultRoots) {
            var entries: [Entry] = []
            for top in [
                "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc/ld.so.cache", "/etc/ld-musl-x86_64.path",
            ] {
                if let entry = HostFileTree.stat(top) { entries.append(entry) }
            }
            for root in roots { HostFileTree.walk(root, into: &entries) }
            self.entries = entries
        }

        /// Regular, non-empty files with an execute bit below any of `directories`.
        public func executables(under directories: [String]) -> [String] {
            entries.filter { entry in
                guard case .regular = entry.kind, entry.mode & 0o111 != 0, entry.size > 0 else { return false }
                return directories.contains { entry.path.hasPrefix($0 + "/") }
            }.map(\.path)
        }

        /// Regular, non-empty files whose name has `.so` in it below any of `directories`.
        public func sharedObjects(under directories: [String]) -> [String] {
            entries.filter { entry in
                guard case .regular = entry.kind, entry.size > 0,
                    entry.path.split(separator: "/").last?.contains(".so") == true
                else { return false }
                return directories.contains { entry.path.hasPrefix($0 + "/") }
            }.map(\.path)
        }
    }

    /// Builds the tree. `programs` are read first; their dependencies follow.
    public static func build(programs: [String], roots: [String] = defaultRoots) -> FileTree {
        build(programs: programs, walk: Walk(roots: roots))
    }

    /// Builds the tree from a walk already made.
    public static func build(programs: [String], walk: Walk) -> FileTree {
        let contents = reachableContent(programs: programs, entries: walk.entries)
        return tree(walk.entries, contents: contents, root: "")
    }

    /// A whole directory of this machine as an image root (for chroot experiments): every file
    /// below `root` is an image file, every ELF file is read.
    /// With `requirements`, files are kept whole as the layer reader would keep them under it
    /// (caps, not the budget) instead of the loader files only.
    public static func build(root: String, requirements: ContentRequirements? = nil) -> FileTree {
        var entries: [Entry] = []
        walk(root, into: &entries)
        var contents: [String: FileContent] = [:]
        for entry in entries {
            if case .regular = entry.kind {
                let imagePath = String(entry.path.dropFirst(root.count))
                if let requirements {
                    let components = imagePath.split(separator: "/").map { Array($0.utf8) }
                    let bytes = (try? Fixtures.readFile(entry.path)) ?? []
                    contents[entry.path] = FileContent.kept(bytes, at: components, under: requirements)
                } else {
                    contents[entry.path] = content(of: entry.path, imagePath: imagePath)
                }
            }
        }
        return tree(entries.filter { $0.path != root }, contents: contents, root: root)
    }

    /// What the layer reader would keep of a file: its head, its ELF parse, all of it for the few
    /// files kept whole.
    static func content(of path: String, imagePath: String? = nil) -> FileContent {
        let capture = HostELF.read(path)
        var head: [UInt8] = []
        if let handle = FileHandle(forReadingAtPath: path) {
            head = [UInt8]((try? handle.read(upToCount: FileContent.headLimit)) ?? Data())
            try? handle.close()
        }
        let whole = keepsWhole(imagePath ?? path) ? try? Fixtures.readFile(path) : nil
        return FileContent(head: head, elf: capture?.file, data: whole)
    }

    /// Reads the files reachable from `programs` through `DT_NEEDED` names, to a fixed point; keyed by real path.
    static func reachableContent(programs: [String], entries: [Entry]) -> [String: FileContent] {
        var byName: [String: [String]] = [:]
        for entry in entries {
            byName[String(entry.path.split(separator: "/").last ?? ""), default: []].append(entry.path)
        }
        var parsed: [String: FileContent] = [:]
        for entry in entries where keepsWhole(entry.path) {
            if let real = realPath(entry.path) { parsed[real] = content(of: real) }
        }
        var pending = programs
        var seenNames: Set<String> = []
        while let path = pending.popLast() {
            guard let real = realPath(path), parsed[real] == nil else { continue }
            let content = content(of: real)
            parsed[real] = content
            guard case .success(let file)? = content.elf else { continue }
            let names =
                file.needed.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
                + [file.interpreter].compactMap { $0 }
            for name in names where !seenNames.contains(name) {
                seenNames.insert(name)
                if name.hasPrefix("/") { pending.append(name) }
                pending += byName[name] ?? []
            }
        }
        return parsed
    }

    /// The tree of `entries`, with the `contents` known; `root` is cut from the paths.
    static func tree(_ entries: [Entry], contents: [String: FileContent], root: String) -> FileTree {
        var layer: [LayerEntry] = []
        for entry in entries {
            let path = String(entry.path.dropFirst(root.count))
            var content: FileContent?
            if case .regular = entry.kind {
                // The walk does not follow symlinks, so a regular file's path is already its real path.
                content = contents[entry.path]
                // Files the loader can never reach are left out: they cannot change its answers.
                if content == nil { continue }
            }
            layer.append(
                LayerEntry(
                    path, entry.kind, permissions: entry.mode, uid: entry.uid, gid: entry.gid, size: entry.size,
                    content: content))
        }
        var tree = FileTree()
        tree.apply(layer)
        return tree
    }

    /// Files the layer reader keeps whole.
    static func keepsWhole(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        return path == "/etc/ld.so.cache" || (name.hasPrefix("ld-") && name.contains(".so"))
            || (path.hasPrefix("/etc/ld-musl-") && path.hasSuffix(".path"))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func stat(_ path: String) -> Entry? {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind: LayerEntry.Kind
        switch info.st_mode & S_IFMT {
        case S_IFDIR: kind = .directory
        case S_IFREG: kind = .regular
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: 4096)
            let length = readlink(path, &buffer, buffer.count - 1)
            guard length >= 0 else { return nil }
            kind = .symlink(target: buffer[0..<length].map { UInt8(bitPattern: $0) })
        default: return nil
        }
        return Entry(
            path: path, kind: kind, mode: info.st_mode & 0o7777, uid: info.st_uid, gid: info.st_gid,
            size: Int64(info.st_size))
    }

    static func walk(_ directory: String, into entries: inout [Entry]) {
        // Never into a mounted /proc (its /proc/N/root leads back to the whole machine).
        guard !directory.hasSuffix("/proc"), let entry = stat(directory) else { return }
        entries.append(entry)
        guard case .directory = entry.kind, let handle = opendir(directory) else { return }
        var names: [String] = []
        while let item = readdir(handle) {
            let name = withUnsafeBytes(of: item.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() { walk(directory + "/" + name, into: &entries) }
    }
}
