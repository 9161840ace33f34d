import ImageAuditFS

/// `--all-executables`: every ELF file and `#!` script in the PATH directories, each checked
/// as if started directly. Problems are warnings: the entrypoint does not need them.
struct PathExecutables {
    var tree: FileTree
    var environment: Environment
    var workingDir: String

    /// The executable files on PATH, first name wins, each file (after symlinks) once:
    /// busybox's hundreds of applet links are one check.
    func paths() -> [String] {
        var seenDirectories = Set<FileTree.NodeID>()
        var seenFiles = Set<FileTree.NodeID>()
        var paths: [String] = []
        for directory in environment.pathDirectories {
            let absolute = ImagePath.absolute(directory, in: workingDir)
            guard case .success(let dir) = tree.resolve(absolute), tree.attributes(of: dir.node).type == .directory,
                seenDirectories.insert(dir.node).inserted
            else { continue }
            for (name, _) in tree.children(of: dir.node) {
                let path = ImagePath.absolute(PathBytes.display(name), in: absolute)
                guard case .success(let file) = tree.resolve(path) else { continue }
                let attributes = tree.attributes(of: file.node)
                guard attributes.type == .regular, attributes.permissions & 0o111 != 0,
                    seenFiles.insert(file.node).inserted
                else { continue }
                let head = tree.content(of: file.node)?.head ?? []
                if head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) || head.starts(with: [0x23, 0x21]) {
                    paths.append(path)
                }
            }
        }
        return paths
    }

    /// The problems of starting `path` directly, with runc's wording.
    func check(_ path: String, with model: ExecModel) -> [StartFailure] {
        model.execve(path, argv0: path, depth: 0, chain: []).failures.map { failure in
            var failure = failure
            if let errno = failure.errno { failure.message = "exec \(path): \(errno.text)" }
            return failure
        }
    }
}
