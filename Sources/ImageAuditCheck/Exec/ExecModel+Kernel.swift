import ImageAuditFS

/// The kernel's `execve` inside the container root: permission, then the binary formats
/// (ELF with its `PT_INTERP`, `#!` scripts), then the dynamic loader.
extension ExecModel {
    /// The kernel runs at most 6 binary-format handlers for one execve (`exec_binprm`: depth
    /// 0…5), so 5 nested `#!` scripts and the final ELF. Verified on Linux 6.18 with
    /// `scripts/verify-exec-rules.sh` (6 nested scripts give ELOOP).
    static let maxHandlerDepth = 5

    /// Why opening a file for execution fails (`do_open_execat`).
    enum OpenFailure: Error {
        case lookup(LookupError)
        case refused(NotExecutableReason)

        var errno: Errno {
            switch self {
            case .lookup(let error): Errno(error)
            case .refused: .EACCES
            }
        }
    }

    /// Resolves a path and checks the kernel's execute permission: a regular file with an x bit
    /// for these credentials (uid 0: any x bit), every directory on the way searchable.
    func openExec(_ path: String) -> Result<(FileTree.NodeID, String), OpenFailure> {
        switch tree.resolve(path, as: credentials) {
        case .failure(.searchDenied(let directory)):
            return .failure(.refused(.searchDenied(directory: PathBytes.display(directory), runAs: credentials)))
        case .failure(let error):
            return .failure(.lookup(error))
        case .success(let found):
            let attributes = tree.attributes(of: found.node)
            guard attributes.type == .regular else {
                return .failure(.refused(attributes.type == .directory ? .directory : .notRegular(attributes.type)))
            }
            guard credentials.mayExecute(attributes) else {
                return .failure(
                    .refused(
                        .noExecuteBit(
                            permissions: attributes.permissions, uid: attributes.uid, gid: attributes.gid,
                            runAs: credentials)))
            }
            return .success((found.node, PathBytes.display(found.path)))
        }
    }

    /// execve(path): `argv0` is what the program sees as argv[0] (the loader prints it).
    func execve(_ path: String, argv0: String, depth: Int, chain: [String], scripts: [String] = []) -> Report {
        guard depth <= Self.maxHandlerDepth else {
            return fail(
                .interpreterLoop(scripts: scripts), .ELOOP,
                chain + ["more than \(Self.maxHandlerDepth) nested #! interpreters"])
        }
        let node: FileTree.NodeID
        let resolved: String
        switch openExec(path) {
        case .failure(let failure):
            // Only reached for the top-level file when lookPath and execve disagree (e.g. a device).
            if case .refused(let why) = failure {
                return fail(.notExecutable(path: path, why: why), .EACCES, chain + [describe(why, path)])
            }
            return fail(.commandNotFound(name: path, lookedUp: [path], elsewhere: []), failure.errno, chain)
        case .success(let (found, foundPath)):
            (node, resolved) = (found, foundPath)
        }
        let content = tree.content(of: node)
        let head = content?.head ?? []
        if head.starts(with: [0x23, 0x21]) {  // "#!"
            return script(path, head: head, depth: depth, chain: chain, scripts: scripts + [path])
        }
        switch loading.inspect(content, at: resolved) {
        case .facts(let facts):
            return elf(path, facts: facts, argv0: argv0, chain: chain)
        case .malformed(let why):
            return fail(.execFormat(path: path, why: why), .ENOEXEC, chain + ["\(path): \(why)"])
        case .notAnalysed(let why):
            var report = Report(reached: path, failures: [], chain: chain)
            report.failures.append(
                StartFailure(
                    problem: .notAnalysed(path: path, why: why), message: "", chain: chain + ["\(path): \(why)"],
                    stopsStart: false))
            return report
        case .notELF:
            let what =
                head.isEmpty
                ? "an empty file" : "neither an ELF binary nor a #! script (starts with \(Self.preview(head)))"
            return fail(.execFormat(path: path, why: what), .ENOEXEC, chain + ["\(path) is \(what)"])
        }
    }

    func fail(_ problem: StartProblem, _ errno: Errno, _ chain: [String]) -> Report {
        Report(
            reached: nil, failures: [StartFailure(problem: problem, message: "", chain: chain, errno: errno)],
            chain: chain)
    }

    /// The first bytes of a file, printable, for a chain line.
    static func preview(_ head: [UInt8]) -> String {
        let text = head.prefix(16).map { byte -> String in
            (0x20..<0x7f).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
        }
        return "\"" + text.joined() + "\""
    }
}
