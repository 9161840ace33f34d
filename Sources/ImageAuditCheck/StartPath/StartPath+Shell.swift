import ImageAuditFS
import ImageAuditShell

/// A POSIX shell run with `-c STRING [NAME ARG…]` or given a script (`sh FILE`, a `#!/bin/sh`
/// script): the shell model (`ImageAuditShell`) says what it runs; each external command it runs
/// is judged like any program, with the shell's own words for what goes wrong.
extension StartPath {
    func shell(
        _ invocation: Invocation, program: String, dialect: ShellDialect, posix: Bool, standalone: Bool, depth: Int
    ) -> [StartFailure] {
        let shellArgv0 = invocation.argv.first ?? program
        let shellName = shellArgv0
        guard let line = ShellCommandLine.parse(Array(invocation.argv.dropFirst())) else {
            return [notJudged(invocation, what: program, reason: "the shell reads a startup file that is not followed")]
        }
        guard let how = line.invocation(shellArgv0: shellName) else {
            return [
                notJudged(
                    invocation, what: program,
                    reason: "the shell reads its commands from standard input, which the audit does not have")
            ]
        }
        let world = ImageShellWorld.make(tree: model.tree, credentials: invocation.credentials, standalone: standalone)
        var evaluator = ShellEvaluator(dialect: dialect, world: world)
        evaluator.bashPOSIXMode = posix || line.posix
        var environment: [String: String] = [:]
        for entry in invocation.environment.entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        var inner = invocation
        let text: String
        var dollarZero = line.name ?? shellName
        if let string = line.commandString {
            inner.trail.append("\(ImagePath.basename(shellArgv0)) -c")
            text = string
        } else {
            let script = line.scriptPath ?? ""
            dollarZero = script
            let path = ShellPathSearch.absolute(script, workingDir: invocation.workingDir)
            switch ImageShellWorld.read(path, tree: model.tree, credentials: invocation.credentials) {
            case .text(let contents):
                // A wrapper already named the script by its path: no second entry for it.
                if inner.trail.last.map(ImagePath.basename) != ImagePath.basename(script) {
                    inner.trail.append(ImagePath.basename(script))
                }
                text = contents
            case .notFound:
                return [
                    failure(
                        invocation, .scriptFileMissing(interpreter: shellArgv0, file: script, unreadable: false),
                        message: Self.cannotOpen(dialect, shellName, script), chain: ["\(path) does not exist"])
                ]
            case .unknown(let why):
                return [notJudged(invocation, what: script, reason: why)]
            }
        }
        let outcome = evaluator.run(
            text: text, invocation: how, arguments: line.arguments, environment: environment,
            workingDir: invocation.workingDir, options: line.options)
        return judge(
            outcome, inner, dialect: dialect, dollarZero: dollarZero, commandString: line.commandString != nil,
            nameGiven: line.name != nil || line.commandString == nil, depth: depth)
    }

    /// Each step the shell runs, and how the run ends.
    private func judge(
        _ outcome: ShellOutcome, _ invocation: Invocation, dialect: ShellDialect, dollarZero: String,
        commandString: Bool, nameGiven: Bool, depth: Int
    ) -> [StartFailure] {
        var failures: [StartFailure] = []
        let shellLabel = invocation.trail.last ?? "sh"
        // Steps whose status is the shell's: an exec, or the command the run ends with.
        let decisive = Set(outcome.endings.compactMap { $0.step })
        var reported = Set<Int>()
        for (index, step) in outcome.steps.enumerated() {
            var step = step
            var reach = invocation.conditional
            switch step.certainty {
            case .definite: break
            case .conditional(let why): reach = reach ?? why
            case .notJudged(let why):
                var at = invocation
                at.conditional = reach
                failures.append(notJudged(at, what: "`\(step.source)` (\(shellLabel), line \(step.line))", reason: why))
                continue
            }
            if reach == nil && !step.exitsOnFailure && !decisive.contains(index) {
                reach = "as a command whose failure the shell goes past (no `set -e`)"
            }
            var at = invocation
            at.conditional = reach
            at.trail.append(step.kind == .exec ? step.source : "`\(step.source)`")
            if let failed = step.failure {
                reported.insert(index)
                failures.append(shellFailure(step, failed, at))
                continue
            }
            guard step.kind == .command || step.kind == .exec, case .found(let path) = step.resolution else { continue }
            var environment = Environment([])
            for (key, value) in step.environment.sorted(by: { $0.key < $1.key }) { environment.set("\(key)=\(value)") }
            at.trail.append(path)
            at.path = path
            at.argv = step.argv
            at.environment = environment
            at.workingDir = step.workingDir ?? invocation.workingDir
            at.argumentsUnknown = step.unknownArguments
            step.argv = step.argv.isEmpty ? [path] : step.argv
            let name = step.argv[0]
            let exec = step.kind == .exec
            // busybox numbers `-c` lines from 0.
            let lineNumber = dialect == .busyboxAsh && commandString ? max(0, step.line - 1) : step.line
            failures += run(
                at, depth: depth,
                wording: { errno in
                    Self.execFailure(
                        dialect, errno, name: name, path: path, exec: exec, dollarZero: dollarZero,
                        line: lineNumber, nameGiven: nameGiven)
                })
        }
        for ending in outcome.endings {
            if let index = ending.step, reported.contains(index) { continue }
            var at = invocation
            if case .conditional(let why) = ending.certainty { at.conditional = at.conditional ?? why }
            switch ending.kind {
            case .failure(let failed):
                failures.append(
                    failure(
                        at, .shellError(shell: shellLabel, status: failed.status),
                        message: failed.messages.joined(separator: "\n"),
                        chain: ["the shell exits with status \(failed.status)"]))
            case .notJudged(let why):
                failures.append(notJudged(at, what: shellLabel, reason: why))
            case .exit(let status?) where status != 0 && ending.step == nil:
                failures.append(
                    failure(
                        at, .shellError(shell: shellLabel, status: status), message: "",
                        chain: ["the shell exits with status \(status)"]))
            default:
                continue
            }
        }
        return failures
    }

    private func shellFailure(_ step: ShellStep, _ failed: ShellFailure, _ at: Invocation) -> StartFailure {
        let name = step.argv.first ?? step.source
        let message = failed.messages.joined(separator: "\n")
        let status = "the shell's status is \(failed.status)"
        switch step.resolution {
        case .notFound?:
            let searched =
                name.contains("/") ? "\(name) does not exist" : "`\(name)` is in no directory of the shell's PATH"
            return failure(
                at, .commandNotFound(runner: ImagePath.basename(at.argv.first ?? "sh"), command: name),
                message: message,
                chain: [searched, status])
        case .permissionDenied(let path)?, .isDirectory(let path)?:
            return failure(
                at, .commandNotExecutable(runner: ImagePath.basename(at.argv.first ?? "sh"), command: path),
                message: message,
                chain: [status])
        default:
            return failure(
                at, .shellError(shell: at.trail.first ?? "sh", status: failed.status), message: message,
                chain: [status])
        }
    }

    /// What the shell prints when execve of a command it found fails (checked live with dash 0.5.12,
    /// bash 5.2 and busybox 1.35: a missing `PT_INTERP` is ENOENT).
    static func execFailure(
        _ dialect: ShellDialect, _ errno: Errno, name: String, path: String, exec: Bool, dollarZero: String, line: Int,
        nameGiven: Bool
    ) -> String? {
        if errno == .ENOEXEC { return nil }
        let dashReason = errno == .ENOENT ? "not found" : errno.strerror
        switch dialect {
        case .dash:
            return "\(dollarZero): \(line): " + (exec ? "exec: " : "") + "\(name): \(dashReason)"
        case .busyboxAsh:
            let prefix = exec ? "exec: line \(line): " : (nameGiven ? "line \(line): " : "")
            return "\(dollarZero): \(prefix)\(name): \(dashReason)"
        case .bash:
            let reason = errno == .ENOENT ? "required file not found" : errno.strerror
            return "\(dollarZero): \(exec ? path : name): cannot execute: \(reason)"
        }
    }

    /// A script file the shell cannot open (checked live: dash exits 2, bash 127, busybox 2).
    static func cannotOpen(_ dialect: ShellDialect, _ shell: String, _ script: String) -> String {
        switch dialect {
        case .dash: "\(shell): 0: cannot open \(script): No such file"
        case .bash: "\(shell): \(script): No such file or directory"
        case .busyboxAsh: "\(shell): can't open '\(script)': No such file or directory"
        }
    }
}
