import ImageAuditFS
import ImageAuditShell

/// The shell model's questions answered from the image's merged filesystem, as the container user.
enum ImageShellWorld {
    static func make(tree: FileTree, credentials: Credentials, standalone: Bool) -> ShellWorld {
        ShellWorld(
            resolveCommand: { name, path, workingDir in
                resolve(
                    name, path: path, workingDir: workingDir, tree: tree, credentials: credentials,
                    standalone: standalone)
            },
            testFile: { test, path in self.test(test, path, tree: tree, credentials: credentials) },
            readFile: { path in read(path, tree: tree, credentials: credentials) },
            commandOutput: { argv in
                switch argv {
                case ["id", "-u"]: String(credentials.uid)
                case ["id", "-g"]: String(credentials.gid)
                default: nil
                }
            })
    }

    /// The shells' search (dash `find_command`, bash, ash): the first candidate that is a regular file
    /// the user may execute; a candidate that exists but may not be executed gives 126.
    static func resolve(
        _ name: String, path: String, workingDir: String?, tree: FileTree, credentials: Credentials,
        standalone: Bool
    ) -> CommandResolution {
        var refused: CommandResolution?
        for candidate in ShellPathSearch.candidates(for: name, path: path, workingDir: workingDir) {
            guard candidate.hasPrefix("/") else { return .unknown("the working directory is not known") }
            switch tree.resolve(candidate, as: credentials) {
            case .success(let found):
                let attributes = tree.attributes(of: found.node)
                if attributes.type == .directory {
                    if name.contains("/") { return .isDirectory(candidate) }
                    continue
                }
                if attributes.type == .regular && credentials.mayExecute(attributes) { return .found(candidate) }
                if refused == nil { refused = .permissionDenied(candidate) }
            case .failure(.searchDenied):
                if refused == nil { refused = .permissionDenied(candidate) }
            case .failure:
                continue
            }
        }
        if let refused { return refused }
        if standalone && !name.contains("/") {
            return .unknown("this busybox may run `\(name)` as a built-in applet without a PATH search")
        }
        return .notFound
    }

    static func test(_ test: FileTest, _ path: String, tree: FileTree, credentials: Credentials) -> Bool? {
        let follow = !(test == .symlink || test == .symlinkH)
        guard case .success(let found) = tree.resolve(path, followFinalSymlink: follow) else {
            return false
        }
        let attributes = tree.attributes(of: found.node)
        switch test {
        case .exists: return true
        case .regular: return attributes.type == .regular
        case .directory: return attributes.type == .directory
        case .symlink, .symlinkH: return attributes.type == .symlink
        case .executable: return credentials.mayExecute(attributes)
        case .readable: return mayRead(attributes, credentials)
        case .nonEmpty: return attributes.size > 0
        case .writable, .characterDevice, .blockDevice, .fifo, .socket: return nil
        }
    }

    static func read(_ path: String, tree: FileTree, credentials: Credentials) -> FileText {
        guard case .success(let found) = tree.resolve(path) else { return .notFound }
        let attributes = tree.attributes(of: found.node)
        guard attributes.type == .regular else { return .unknown("\(path) is not a regular file") }
        guard mayRead(attributes, credentials) else { return .unknown("\(path) may not be read by the user") }
        guard let data = tree.content(of: found.node)?.data else {
            let why = tree.content(of: found.node)?.withheld?.description ?? "its contents were not kept"
            return .unknown("\(path) was not kept whole (\(why))")
        }
        return .text(String(decoding: data, as: UTF8.self))
    }

    /// Read permission as the kernel checks it (uid 0 reads everything).
    static func mayRead(_ attributes: FileAttributes, _ credentials: Credentials) -> Bool {
        if credentials.uid == 0 { return true }
        let bits = attributes.permissions
        if attributes.uid == credentials.uid { return bits & 0o400 != 0 }
        if attributes.gid == credentials.gid || credentials.supplementaryGroups.contains(attributes.gid) {
            return bits & 0o040 != 0
        }
        return bits & 0o004 != 0
    }
}
