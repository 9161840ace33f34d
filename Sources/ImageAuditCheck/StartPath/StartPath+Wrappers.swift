import ImageAuditFS

/// Init and privilege wrappers given a command: each finds it (execvp, or Go's LookPath for gosu)
/// in its own environment, runs it, and when that fails prints its own message. Wording checked
/// live against Debian bookworm's tini 0.19, dumb-init 1.2.5, catatonit 0.1.7, gosu 1.14 and
/// coreutils env 9.1 (busybox env: `ExecModel`'s `EnvCommand`).
extension StartPath {
    /// What a wrapper prints: command not found, found but not executable, execve failed.
    struct WrapperWording: Sendable {
        var notFound: String
        var refused: String
        var execFailed: @Sendable (Errno) -> String
        var status: Int
    }

    func wrapper(_ wrapper: Wrapper, _ invocation: Invocation, program: String, depth: Int) -> [StartFailure] {
        var args = Array(invocation.argv.dropFirst())[...]
        var next = invocation
        let name = ImagePath.basename(program)
        func options(withArgument: Set<String>, stopAtHelp: Set<String>) -> Bool {
            // getopt: options until `--` or the first operand.
            while let arg = args.first, arg.hasPrefix("-"), arg != "-" {
                args.removeFirst()
                if arg == "--" { break }
                if stopAtHelp.contains(arg) { return false }
                if withArgument.contains(arg) { _ = args.popFirst() }
            }
            return true
        }
        switch wrapper {
        case .tini:
            guard options(withArgument: ["-p", "-e"], stopAtHelp: ["-h", "--version"]) else { return [] }
        case .dumbInit:
            guard options(withArgument: ["-r", "--rewrite"], stopAtHelp: ["-h", "--help", "-V", "--version"]) else {
                return []
            }
        case .catatonit:
            guard options(withArgument: [], stopAtHelp: ["-h", "-V", "--version"]) else { return [] }
        case .gosu:
            guard let spec = args.popFirst() else { return [] }
            switch UserDatabase(tree: model.tree).credentials(for: spec) {
            case .success(let credentials): next.credentials = credentials
            case .failure:
                let user = String(spec.split(separator: ":", maxSplits: 1).first ?? "")
                return [
                    failure(
                        invocation, .commandNotFound(runner: name, command: spec),
                        message: "error: failed switching to \"\(spec)\": unable to find user \(user): "
                            + "no matching entries in passwd file",
                        chain: ["gosu switches to \(spec), which the image's /etc/passwd does not name"])
                ]
            }
        case .env, .busyboxEnv:
            // env [-i] [-u NAME] [NAME=VALUE…] PROGRAM ARGS.
            while let arg = args.first {
                if arg == "--" {
                    args.removeFirst()
                    break
                }
                if arg == "-i" || arg == "--ignore-environment" || arg == "-" {
                    next.environment = Environment([])
                } else if arg == "-u", args.count > 1 {
                    args.removeFirst()
                    let unset = args.first! + "="
                    next.environment = Environment(next.environment.entries.filter { !$0.hasPrefix(unset) })
                } else if arg.hasPrefix("-") {
                    return [notJudged(invocation, what: name, reason: "env's option \(arg) is not modelled")]
                } else if arg.contains("=") {
                    next.environment.set(arg)
                } else {
                    break
                }
                args.removeFirst()
            }
        case .suExec:
            // Not packaged by Debian: its wording and behaviour could not be checked live.
            return [
                notJudged(
                    invocation, what: name,
                    reason: "what \(name) runs is not followed (its wording was not checked against the real \(name))")
            ]
        case .setpriv:
            return setpriv(invocation, program: program, depth: depth)
        }
        guard let command = args.first else { return [] }
        next.argv = Array(args)
        next.trail = invocation.trail + [wrapper == .tini ? "tini --" : name]
        let wording = self.wording(
            wrapper, command: command, invokedAs: invocation.argv.first ?? program,
            utf8: next.environment.isUTF8Locale)
        return find(command, next, runner: name, wording: wording, depth: depth)
    }

    /// The wrapper's PATH search (a name with `/` is used as it is), then execve of what it found.
    func find(_ command: String, _ next: Invocation, runner: String, wording: WrapperWording, depth: Int)
        -> [StartFailure]
    {
        var next = next
        let candidates =
            command.contains("/")
            ? [ImagePath.absolute(command, in: next.workingDir)]
            : next.environment.pathDirectories.map {
                ImagePath.absolute(command, in: ImagePath.absolute($0, in: next.workingDir))
            }
        var refused: String?
        var model = self.model
        model.credentials = next.credentials
        for candidate in candidates {
            switch model.openExec(candidate) {
            case .success:
                next.path = candidate
                next.trail.append(candidate)
                return run(next, depth: depth, wording: wording.execFailed)
            case .failure(.refused) where refused == nil:
                refused = candidate
            case .failure:
                continue
            }
        }
        if let refused {
            return [
                failure(
                    next, .commandNotExecutable(runner: runner, command: refused), message: wording.refused,
                    chain: ["\(refused) may not be executed by uid \(next.credentials.uid)"])
            ]
        }
        let searched =
            command.contains("/")
            ? "\(candidates[0]) does not exist"
            : "\(runner) looks for `\(command)` in PATH=\(next.environment["PATH"] ?? ""): not found"
        return [
            failure(
                next, .commandNotFound(runner: runner, command: command), message: wording.notFound,
                chain: [searched, "\(runner) exits with status \(wording.status)"])
        ]
    }

    private func wording(_ wrapper: Wrapper, command: String, invokedAs: String, utf8: Bool) -> WrapperWording {
        func same(_ format: @escaping @Sendable (Errno) -> String, status: Int) -> WrapperWording {
            WrapperWording(notFound: format(.ENOENT), refused: format(.EACCES), execFailed: format, status: status)
        }
        switch wrapper {
        case .tini:
            // The number is the child's pid, which is not known statically.
            return same({ "[FATAL tini (PID)] exec \(command) failed: \($0.strerror)" }, status: 127)
        case .dumbInit:
            return same({ "[dumb-init] \(command): \($0.strerror)" }, status: 2)
        case .catatonit:
            return same({ "ERROR (catatonit:PID): failed to exec pid1: \($0.strerror)" }, status: 1)
        case .gosu:
            // Go's exec.LookPath first, then syscall.Exec.
            let notFound =
                command.contains("/")
                ? "error: exec: \"\(command)\": stat \(command): no such file or directory"
                : "error: exec: \"\(command)\": executable file not found in $PATH"
            return WrapperWording(
                notFound: notFound, refused: "error: exec: \"\(command)\": permission denied",
                execFailed: { "error: exec failed: \($0.text)" }, status: 1)
        case .env, .busyboxEnv, .suExec, .setpriv:
            let env = EnvCommand(invokedAs: invokedAs, busybox: wrapper == .busyboxEnv, utf8: utf8)
            return same({ env.message(command, $0) }, status: 127)
        }
    }
}
