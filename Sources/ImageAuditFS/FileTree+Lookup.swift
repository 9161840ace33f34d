/// Why a path lookup failed, with the errno the kernel would return.
public enum LookupError: Error, Sendable, Hashable {
    /// `ENOENT`: `missing` is the first path that does not exist (after symlinks).
    case notFound(missing: [UInt8])
    /// `ENOTDIR`: `path` is not a directory but had to be walked through.
    case notADirectory(path: [UInt8])
    /// `ELOOP`: more than ``FileTree/maxSymlinks`` symlinks in one lookup.
    case tooManySymlinks
    /// `EACCES`: the directory `path` may not be searched by the credentials given.
    case searchDenied(path: [UInt8])

    /// The errno, whose C name strace shows.
    public var errno: Errno { Errno(self) }
}

/// A successful lookup: the node and its canonical path (symlinks resolved, no `.` or `..`).
public struct ResolvedPath: Sendable, Hashable {
    public let node: FileTree.NodeID
    public let path: [UInt8]
}

extension FileTree {
    /// The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS).
    public static let maxSymlinks = 40

    /// Looks a path up the way the kernel does inside a chroot at the image root.
    ///
    /// Absolute symlink targets restart at the image root, `..` at the root stays there, `..`
    /// after a symlink goes to the parent of where the symlink led, and more than 40 symlinks
    /// give `ELOOP`. Relative paths start at the root (join the working directory first).
    /// - Parameters:
    ///   - followFinalSymlink: `false` gives the symlink itself, like `lstat`.
    ///   - credentials: when given, every directory walked through must be searchable by them.
    public func resolve(
        _ path: [UInt8], followFinalSymlink: Bool = true, as credentials: Credentials? = nil
    ) -> Result<ResolvedPath, LookupError> {
        guard !path.isEmpty else { return .failure(.notFound(missing: path)) }
        let mustBeDirectory = path.last == PathBytes.slash && path.count > 1
        var pending = Array(PathBytes.components(path).reversed())
        var stack = [Self.root]
        var symlinks = 0
        while let component = pending.popLast() {
            let directory = stack[stack.count - 1]
            if let credentials, !credentials.mayExecute(attributes(of: directory)) {
                return .failure(.searchDenied(path: self.path(of: directory)))
            }
            if PathBytes.isParent(component) {
                if stack.count > 1 { stack.removeLast() }
                continue
            }
            guard let node = child(of: directory, named: component) else {
                return .failure(.notFound(missing: joined(self.path(of: directory), component)))
            }
            let isLast = pending.isEmpty
            let attributes = attributes(of: node)
            if attributes.type == .symlink && (!isLast || followFinalSymlink || mustBeDirectory) {
                symlinks += 1
                guard symlinks <= Self.maxSymlinks else { return .failure(.tooManySymlinks) }
                let target = attributes.symlinkTarget ?? []
                guard !target.isEmpty else { return .failure(.notFound(missing: self.path(of: node))) }
                if target.first == PathBytes.slash { stack = [Self.root] }
                pending.append(contentsOf: PathBytes.components(target).reversed())
                continue
            }
            if attributes.type != .directory && (!isLast || mustBeDirectory) {
                return .failure(.notADirectory(path: self.path(of: node)))
            }
            stack.append(node)
        }
        let node = stack[stack.count - 1]
        return .success(ResolvedPath(node: node, path: self.path(of: node)))
    }

    /// Convenience for Swift strings.
    public func resolve(
        _ path: String, followFinalSymlink: Bool = true, as credentials: Credentials? = nil
    ) -> Result<ResolvedPath, LookupError> {
        resolve(Array(path.utf8), followFinalSymlink: followFinalSymlink, as: credentials)
    }

    /// The node at a path with every symlink followed, or nil.
    public func node(at path: String) -> NodeID? {
        try? resolve(path).get().node
    }

    private func joined(_ directory: [UInt8], _ name: [UInt8]) -> [UInt8] {
        directory == [PathBytes.slash] ? directory + name : directory + [PathBytes.slash] + name
    }
}
