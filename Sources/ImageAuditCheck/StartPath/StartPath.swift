import ImageAuditFS

/// After argv[0] has been exec'd: what that program does next, when it is a shell, a `#!` script
/// for one, an init or privilege wrapper, or an interpreter given a file. Every program reached
/// goes through the same kernel and loader model (`ExecModel.execve`), recursively, at most
/// `depthLimit` programs deep. See docs/start-path.md for exactly what is followed.
struct StartPath: Sendable {
    var model: ExecModel
    var packages: PackageDatabase
    /// Where the interpreters reached are recorded (``startReaching(_:)``); nil: not recorded.
    var reachedLog: ReachedLog? = nil
    /// Programs followed one after the other (shell → script → wrapper → interpreter …).
    static let depthLimit = 8

    /// One program about to be exec'd, in the process state it gets.
    struct Invocation: Sendable {
        /// The path handed to execve (absolute).
        var path: String
        var argv: [String]
        var environment: Environment
        var workingDir: String
        var credentials: Credentials
        /// How the start got here, for the chain: `sh -c`, `docker-entrypoint.sh`, `exec "$@"`…
        var trail: [String]
        /// Why this program runs only in some cases (nil: whenever the start gets this far).
        var conditional: String?
        /// Why argv is not known completely (a `$(…)` argument): what the program does is then not followed.
        var argumentsUnknown: String? = nil
    }

    /// How a runner words an execve failure of the program it starts (tini, env, a shell…).
    /// nil: the runner does not fail there (a shell runs an ENOEXEC file as a script itself).
    typealias ExecWording = @Sendable (_ errno: Errno) -> String?

    /// runc's start of argv (`ExecModel.start`), then what the program reached runs next.
    func start(_ argv: [String]) -> [StartFailure] {
        let report = model.start(argv)
        guard let reached = report.reached, !report.failures.contains(where: { $0.stopsStart }) else {
            return report.failures
        }
        return report.failures + follow(argv: argv, reached: reached)
    }

    /// Follows the program runc exec'd (`reached`, found for `argv`) to what it runs next.
    func follow(argv: [String], reached path: String) -> [StartFailure] {
        let start = Invocation(
            path: path, argv: argv, environment: model.environment, workingDir: model.workingDir,
            credentials: model.credentials, trail: [], conditional: nil)
        return after(start, depth: 0)
    }

    /// execve of one program (the kernel and loader model), then what it does next.
    func run(_ invocation: Invocation, depth: Int, wording: ExecWording) -> [StartFailure] {
        var model = self.model
        model.environment = invocation.environment
        model.workingDir = invocation.workingDir
        model.credentials = invocation.credentials
        let report = model.execve(invocation.path, argv0: invocation.argv.first ?? invocation.path, depth: 0, chain: [])
        let failures = report.failures.map { failure in
            var failure = failure
            if let errno = failure.errno {
                guard let message = wording(errno) else {
                    return notJudged(
                        invocation, what: invocation.path,
                        reason: "execve fails with \(errno.strerror), and the shell then runs the file itself")
                }
                failure.message = message
                failure.errno = nil
            }
            failure.chain = chainLines(invocation) + failure.chain
            if invocation.conditional != nil { failure.stopsStart = false }
            return failure
        }
        guard report.reached != nil else { return failures }
        return failures + after(invocation, depth: depth + 1)
    }

    /// What the exec'd program does with its arguments.
    private func after(_ invocation: Invocation, depth: Int) -> [StartFailure] {
        guard depth < Self.depthLimit else {
            return [
                notJudged(
                    invocation, what: invocation.path,
                    reason: "more than \(Self.depthLimit) programs in a row on the start path")
            ]
        }
        let (program, argv) = unrolled(invocation.path, invocation.argv)
        var invocation = invocation
        invocation.argv = argv
        let family = identify(program, argv0: argv.first ?? program)
        if let why = invocation.argumentsUnknown, family != .program {
            return [notJudged(invocation, what: program, reason: why)]
        }
        switch family {
        case .shell(let dialect, let posix, let standalone):
            return shell(
                invocation, program: program, dialect: dialect, posix: posix, standalone: standalone,
                depth: depth)
        case .unknownShell(let reason):
            return [notJudged(invocation, what: program, reason: reason)]
        case .wrapper(let wrapper):
            return self.wrapper(wrapper, invocation, program: program, depth: depth)
        case .interpreter(let interpreter):
            let failures = self.interpreter(interpreter, invocation, program: program, depth: depth)
            record(interpreter, invocation, program: program, failures: failures)
            return failures
        case .program:
            return []
        }
    }

    /// The kernel's `#!` handling as argv rewriting: the interpreter runs with
    /// `[interpreter, optional argument, script path, original argv[1...]]`.
    func unrolled(_ path: String, _ argv: [String]) -> (String, [String]) {
        var (path, argv) = (path, argv)
        for _ in 0...ExecModel.maxHandlerDepth {
            guard case .success(let found) = model.tree.resolve(path),
                let head = model.tree.content(of: found.node)?.head, head.starts(with: [0x23, 0x21]),
                let shebang = try? Shebang(parsing: head)
            else { break }
            argv = [shebang.interpreter] + (shebang.argument.map { [$0] } ?? []) + [path] + argv.dropFirst()
            path = ImagePath.absolute(shebang.interpreter, in: model.workingDir)
        }
        return (path, argv)
    }

    /// The chain lines every finding on the start path starts with.
    func chainLines(_ invocation: Invocation) -> [String] {
        var lines: [String] = []
        if !invocation.trail.isEmpty { lines.append("start path: " + invocation.trail.joined(separator: " → ")) }
        if let conditional = invocation.conditional { lines.append("reached only \(conditional)") }
        return lines
    }

    func failure(_ invocation: Invocation, _ problem: StartPathProblem, message: String, chain: [String] = [])
        -> StartFailure
    {
        StartFailure(
            problem: .startPath(problem), message: message, chain: chainLines(invocation) + chain,
            stopsStart: invocation.conditional == nil)
    }

    func notJudged(_ invocation: Invocation, what: String, reason: String) -> StartFailure {
        StartFailure(
            problem: .startPath(.notJudged(what: what, reason: reason)), message: "",
            chain: chainLines(invocation) + ["not judged: \(reason)"], stopsStart: false)
    }
}

extension StartPath {
    /// The `#!` lines of shell scripts: only shell scripts are read by the start path (an
    /// interpreter's file is only checked to exist), which keeps 1.6 MB of 14 MB of `#!` files
    /// on a large Debian host.
    static let shellHeads = [
        "#!/bin/sh", "#! /bin/sh", "#!/usr/bin/sh", "#!/bin/bash", "#! /bin/bash", "#!/usr/bin/bash", "#!/bin/dash",
        "#!/usr/bin/dash", "#!/bin/ash", "#!/bin/busybox", "#!/usr/bin/env sh", "#!/usr/bin/env bash",
        "#!/usr/bin/env -S sh", "#!/usr/bin/env -S bash",
    ]

    /// Shell scripts are read whole up to 64 KiB, within an 8 MiB share of the audit's budget.
    /// A script past either is "not judged", never a pass.
    static let requirements = ContentRequirements(
        shellHeads.map { .init(.head(Array($0.utf8)), cap: 64 << 10, reason: "shell scripts the start path runs") },
        totalBudget: 8 << 20)
}
