import ImageAuditELF
import ImageAuditFS

/// A dynamic loader installed in the image's library directories.
public struct LoaderPresence: Sendable, Hashable, Codable {
    /// Whose loader it is.
    public var libc: LibC
    /// Where it is, e.g. `/lib/ld-musl-x86_64.so.1` (it may be a symlink to the file).
    public var path: String

    public init(libc: LibC, path: String) {
        self.libc = libc
        self.path = path
    }

    /// The loaders in `/lib`, `/lib64`, `/lib32`, `/libx32`, `/usr/lib`, `/usr/lib64` and their
    /// multiarch subdirectories that lead to a regular file (a dangling link loads nothing):
    /// glibc's `ld-linux*` and `ld64.so.*`, musl's `ld-musl-*`. Each file once per name kind, by
    /// its first path (a glibc name linked to musl's loader, as libc6-compat makes, still counts).
    static func scan(_ tree: FileTree) -> [LoaderPresence] {
        var found: [LoaderPresence] = []
        var files: Set<FileKey> = []
        for directory in libraryDirectories(tree) {
            for name in names(tree, directory) {
                let libc: LibC
                if name.hasPrefix("ld-musl-") {
                    libc = .musl
                } else if name.hasPrefix("ld-linux") || name.hasPrefix("ld64.so.") {
                    libc = .glibc
                } else {
                    continue
                }
                let path = directory + "/" + name
                guard case .success(let target) = tree.resolve(path), tree.attributes(of: target.node).type == .regular,
                    files.insert(FileKey(libc: libc, node: target.node)).inserted
                else { continue }
                found.append(LoaderPresence(libc: libc, path: path))
            }
        }
        return found
    }

    private struct FileKey: Hashable {
        var libc: LibC
        var node: FileTree.NodeID
    }

    /// Whether glibc's `libc.so.6` is in a library directory (a glibc image whose loader is gone).
    static func hasGlibcLibrary(_ tree: FileTree) -> Bool {
        libraryDirectories(tree).contains { names(tree, $0).contains("libc.so.6") }
    }

    /// The library directories, each once even when reached through symlinks (merged `/usr`).
    private static func libraryDirectories(_ tree: FileTree) -> [String] {
        var directories: [String] = []
        var seen: Set<FileTree.NodeID> = []
        func add(_ directory: String) {
            guard case .success(let resolved) = tree.resolve(directory), seen.insert(resolved.node).inserted,
                tree.attributes(of: resolved.node).type == .directory
            else { return }
            directories.append(directory)
        }
        for directory in ["/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64"] { add(directory) }
        for base in ["/lib", "/usr/lib"] {
            for name in names(tree, base) where name.contains("-linux-") { add("\(base)/\(name)") }
        }
        return directories
    }

    private static func names(_ tree: FileTree, _ directory: String) -> [String] {
        guard case .success(let found) = tree.resolve(directory), tree.attributes(of: found.node).type == .directory
        else {
            return []
        }
        return tree.children(of: found.node).map { PathBytes.display($0.name) }
    }
}
