import ImageAuditFS

/// Init and privilege wrappers given a command: each runs it with `execvp` (a PATH search in its
/// own environment) and, when that fails, prints its own message.
extension StartPath {
    func wrapper(_ wrapper: Wrapper, _ invocation: Invocation, program: String, depth: Int) -> [StartFailure] {
        var args = Array(invocation.argv.dropFirst())[...]
        var next = invocation
        let name = ImagePath.basename(program)
        switch wrapper {
        case .tini:
            // tini [-hsvwgl] [-p SIG] [-e CODE] [--] PROGRAM ARGS (getopt stops at the first operand).
            while let arg = args.first, arg.hasPrefix("-"), arg != "-" {
                args.removeFirst()
                if arg == "--" { break }
                if arg == "-p" || arg == "-e" { _ = args.popFirst() }
                if arg == "-h" || arg == "--version" { return [] }
            }
        case .env, .busyboxEnv:
            // env [-i] [-u NAME] [-C DIR] [NAME=VALUE…] PROGRAM ARGS.
            while let arg = args.first {
                if arg == "--" { args.removeFirst(); break }
                if arg == "-i" || arg == "--ignore-environment" || arg == "-" {
                    next.environment = Environment([])
                } else if arg == "-u", args.count > 1 {
                    args.removeFirst()
                    next.environment = Environment(next.environment.entries.filter { !$0.hasPrefix(args.first! + "=") })
                } else if arg.hasPrefix("-") {
                    return [notJudged(invocation, what: name, reason: "env's option \(arg) is not modelled")]
                } else if arg.contains("=") {
                    next.environment.set(arg)
                } else {
                    break
                }
                args.removeFirst()
            }
        case .dumbInit, .catatonit, .gosu, .suExec, .setpriv:
            return [notJudged(invocation, what: name,
                              reason: "what \(name) runs is not followed yet (its wording was not checked against the real \(name))")]
        }
        guard let command = args.first else { return [] }
        next.argv = Array(args)
        next.trail = invocation.trail + [wrapper == .tini ? "tini --" : "env"]
        let env = EnvCommand(invokedAs: invocation.argv.first ?? program, busybox: wrapper == .busyboxEnv,
                             utf8: next.environment.isUTF8Locale)
        let wording: @Sendable (Errno) -> String = { errno in
            wrapper == .tini ? "[FATAL tini (PID)] exec \(command) failed: \(errno.strerror)" : env.message(command, errno)
        }
        let candidates = command.contains("/")
            ? [ImagePath.absolute(command, in: next.workingDir)]
            : next.environment.pathDirectories.map { ImagePath.absolute(command, in: ImagePath.absolute($0, in: next.workingDir)) }
        var refused: String?
        var model = self.model
        model.credentials = next.credentials
        for candidate in candidates {
            switch model.openExec(candidate) {
            case .success:
                next.path = candidate
                next.trail.append(candidate)
                return run(next, depth: depth, wording: wording)
            case .failure(.refused) where refused == nil:
                refused = candidate
            case .failure:
                continue
            }
        }
        if let refused {
            return [failure(next, .commandNotExecutable(runner: name, command: refused), message: wording(.EACCES),
                            chain: ["\(refused) may not be executed by uid \(next.credentials.uid)"])]
        }
        let searched = command.contains("/")
            ? "\(candidates[0]) does not exist"
            : "\(name) looks for `\(command)` in PATH=\(next.environment["PATH"] ?? ""): not found"
        return [failure(next, .commandNotFound(runner: name, command: command), message: wording(.ENOENT),
                        chain: [searched, "\(name) exits with status 127"])]
    }
}
