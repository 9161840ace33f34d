import ImageAuditFS
import ImageAuditOCI

/// From argv to the program's own code: runc's lookup of argv[0], then the kernel's `execve` as
/// the container user (see `ExecModel+Kernel.swift`).
///
/// runc 1.1 (what Docker and the TestImages oracle run) looks argv[0] up with Go's
/// `exec.LookPath` *before* it switches to the container user, with Go ≤ 1.19's test: a regular
/// file with any x bit. So a 0700 root-owned file passes the lookup and fails in execve
/// (`exec /app/server: permission denied`), and a directory fails the lookup with
/// `exec: "/app": permission denied` (TestImages `exec-bit-owner-only`, `entrypoint-is-directory`).
struct ExecModel: Sendable {
    var tree: FileTree
    var credentials: Credentials
    var environment: Environment
    var workingDir: String
    var platform: Platform
    var loading: any ProgramLoading

    /// What one start came to: the program reached (nil when the start fails) and every problem,
    /// the one the user sees first.
    struct Report: Sendable {
        var reached: String?
        var failures: [StartFailure]
        var chain: [String]
    }

    /// runc: LookPath(argv[0]), then execve with the path it returned.
    func start(_ argv: [String]) -> Report {
        guard let name = argv.first, !name.isEmpty else {
            return Report(
                reached: nil, failures: [StartFailure(problem: .noCommand, message: "no command specified", chain: [])],
                chain: [])
        }
        switch lookPath(name) {
        case .failure(let failure):
            return Report(reached: nil, failures: [failure], chain: failure.chain)
        case .success(let (path, chain)):
            var report = execve(path, argv0: name, depth: 0, chain: chain)
            // Errors inside execve surface as runc's `exec NAME: <errno>`.
            report.failures = report.failures.map { failure in
                var failure = failure
                if let errno = failure.errno {
                    failure.message = "exec \(name.contains("/") ? name : path): \(errno.text)"
                }
                return failure
            }
            return report
        }
    }

    // MARK: - runc / Go exec.LookPath

    private func lookPath(_ name: String) -> Result<(String, [String]), StartFailure> {
        if name.contains("/") {
            let path = ImagePath.absolute(name, in: workingDir)
            switch findExecutable(path) {
            case .success(let line):
                return .success((path, line.map { [$0] } ?? []))
            case .failure(let why):
                return .failure(lookupFailure(name: name, path: path, why: why))
            }
        }
        var tried: [String] = []
        for directory in environment.pathDirectories {
            let candidate = ImagePath.absolute(name, in: ImagePath.absolute(directory, in: workingDir))
            tried.append(candidate)
            if case .success(let line) = findExecutable(candidate) {
                return .success((candidate, ["`\(name)` found on PATH: \(candidate)"] + (line.map { [$0] } ?? [])))
            }
        }
        let elsewhere = executables(named: name)
        var chain = ["`\(name)` is looked up in PATH=\(environment["PATH"] ?? "")"]
        chain.append("not an executable file in any of: " + tried.joined(separator: ", "))
        if !elsewhere.isEmpty { chain.append("a file of that name exists at " + elsewhere.joined(separator: ", ")) }
        return .failure(
            StartFailure(
                problem: .commandNotFound(name: name, lookedUp: tried, elsewhere: elsewhere),
                message: "exec: \"\(name)\": executable file not found in $PATH", chain: chain))
    }

    /// Why Go's `findExecutable` rejects a path.
    private enum LookupRejection: Error {
        case stat(LookupError)
        case directory
        case permission(NotExecutableReason)
    }

    /// Go ≤ 1.19's `findExecutable`, as root: stat (follows symlinks), then not a directory and
    /// any x bit.
    /// Succeeds with a chain line when symlinks led elsewhere.
    private func findExecutable(_ path: String) -> Result<String?, LookupRejection> {
        let found: ResolvedPath
        switch tree.resolve(path) {
        case .success(let resolved): found = resolved
        case .failure(let error): return .failure(.stat(error))
        }
        let attributes = tree.attributes(of: found.node)
        if attributes.type == .directory { return .failure(.directory) }
        guard attributes.permissions & 0o111 != 0 else {
            return .failure(
                .permission(
                    .noExecuteBit(
                        permissions: attributes.permissions, uid: attributes.uid, gid: attributes.gid, runAs: .root)))
        }
        let resolved = PathBytes.display(found.path)
        return .success(resolved == path ? nil : "\(path) → \(resolved)")
    }

    private func lookupFailure(name: String, path: String, why: LookupRejection) -> StartFailure {
        let quoted = "exec: \"\(name)\""
        switch why {
        case .stat(let error):
            let elsewhere = executables(named: ImagePath.basename(name))
            var chain = [error.describe(for: path)]
            if !name.hasPrefix("/") { chain.insert("`\(name)` is relative to WorkingDir \(workingDir)", at: 0) }
            if !elsewhere.isEmpty { chain.append("a file of that name exists at " + elsewhere.joined(separator: ", ")) }
            return StartFailure(
                problem: .commandNotFound(name: name, lookedUp: [path], elsewhere: elsewhere),
                message: "\(quoted): stat \(name): \(Errno(error).text)", chain: chain)
        case .directory:
            return StartFailure(
                problem: .notExecutable(path: path, why: .directory), message: "\(quoted): permission denied",
                chain: ["\(path) is a directory"])
        case .permission(let reason):
            return StartFailure(
                problem: .notExecutable(path: path, why: reason), message: "\(quoted): permission denied",
                chain: [describe(reason, path)])
        }
    }

    /// Executable regular files elsewhere in the image with this name (at most three), to
    /// point at a wrong PATH or WorkingDir.
    func executables(named name: String) -> [String] {
        let wanted = Array(name.utf8)
        var found: [String] = []
        tree.walk { path, node in
            guard found.count < 3, tree.name(of: node) == wanted else { return }
            let attributes = tree.attributes(of: node)
            if attributes.type == .regular && attributes.permissions & 0o111 != 0 {
                found.append(PathBytes.display(path))
            }
        }
        return found
    }

    func describe(_ reason: NotExecutableReason, _ path: String) -> String {
        switch reason {
        case .directory: return "\(path) is a directory"
        case .notRegular(let type): return "\(path) is a \(type.rawValue), not a regular file"
        case .noExecuteBit(let permissions, let uid, let gid, let user):
            return
                "\(path): mode \(Self.octal(permissions)), owner \(uid):\(gid); runs as uid \(user.uid) gid \(user.gid)"
                + (user.uid == 0 ? " (root still needs one x bit)" : "")
        case .searchDenied(let directory, let user):
            return "\(directory) may not be searched by uid \(user.uid) gid \(user.gid)"
        }
    }

    static func octal(_ permissions: UInt32) -> String {
        let digits = String(permissions, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
