import ImageAuditELF
import ImageAuditFS

/// Opening files inside the image the way the loader's `open(2)` would: paths resolved in the
/// image root, relative ones from the working directory, directories searchable and files
/// readable by the user the container runs as.
struct ImageFiles {
    let tree: FileTree
    let credentials: Credentials?
    let workingDirectory: String

    /// A file that could be opened.
    struct Opened {
        let node: FileTree.NodeID
        let resolvedPath: String
        let attributes: FileAttributes
        let content: FileContent?
        /// The parsed ELF file, when the file is one.
        var elf: ELFFile? { if case .success(let file)? = content?.elf { file } else { nil } }
    }

    /// The absolute form of `path` (relative paths start at the working directory).
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : ImagePath.join(workingDirectory.isEmpty ? "/" : workingDirectory, path)
    }

    /// Opens `path` read-only, or gives the errno name `open` fails with.
    func open(_ path: String) -> Result<Opened, Errno> {
        guard !path.isEmpty else { return .failure(Errno.ENOENT) }
        switch tree.resolve(absolute(path), followFinalSymlink: true, as: credentials) {
        case .failure(let error):
            return .failure(error.errno)
        case .success(let resolved):
            let attributes = tree.attributes(of: resolved.node)
            guard mayRead(attributes) else { return .failure(Errno.EACCES) }
            return .success(
                Opened(
                    node: resolved.node, resolvedPath: PathBytes.display(resolved.path), attributes: attributes,
                    content: tree.content(of: resolved.node)))
        }
    }

    /// Whether a directory exists at `path` (for listing only the subdirectories that matter).
    func isDirectory(_ path: String) -> Bool {
        guard case .success(let resolved) = tree.resolve(absolute(path), followFinalSymlink: true) else { return false }
        return tree.attributes(of: resolved.node).type == .directory
    }

    /// Read permission: root reads anything (CAP_DAC_OVERRIDE), others need the owner, group or other `r` bit.
    private func mayRead(_ attributes: FileAttributes) -> Bool {
        guard let credentials, credentials.uid != 0 else { return true }
        let bits = attributes.permissions
        if attributes.uid == credentials.uid { return bits & 0o400 != 0 }
        if attributes.gid == credentials.gid || credentials.supplementaryGroups.contains(attributes.gid) {
            return bits & 0o040 != 0
        }
        return bits & 0o004 != 0
    }
}
