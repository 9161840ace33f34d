/// Follows statically what a shell runs for `sh -c STRING [NAME ARG…]` or a script file.
///
/// Nothing is executed: external commands are resolved through `ShellWorld` and their exit status is
/// unknown, so what depends on it is reported as conditional. Builtins, `[`/`test`, `set --`, `shift`,
/// functions, `.`/`source`, `cd` and `exec` are modelled per dialect (see docs/shell-model.md).
public struct ShellEvaluator: Sendable {
    public var dialect: ShellDialect
    public var world: ShellWorld
    /// Busybox applets run without a PATH search (FEATURE_SH_STANDALONE, as in Debian's busybox-static;
    /// Alpine's busybox searches PATH). Only used with `.busyboxAsh`.
    public var standaloneApplets: Set<String>
    /// bash in POSIX mode: run as `sh` (argv[0] `sh`, `/bin/sh`) or with `--posix`. Then a failing `.`
    /// ends the shell, `shift` past the end says so, and assignments before special builtins stay.
    public var bashPOSIXMode = false
    /// Loop iterations followed before giving up ("not judged").
    public var iterationLimit = 64

    public init(dialect: ShellDialect, world: ShellWorld, standaloneApplets: Set<String> = []) {
        self.dialect = dialect
        self.world = world
        self.standaloneApplets = standaloneApplets
    }

    /// How the shell was started: `-c STRING` or a script file.
    public enum Invocation: Sendable, Equatable {
        /// `sh -c STRING [NAME ARG…]`: `$0` is NAME when given, else the shell's argv[0].
        case commandString(shellArgv0: String, name: String?)
        /// `sh FILE ARG…` or a `#!` script: `$0` is the script path as given.
        case scriptFile(path: String)
    }

    /// Runs `script` with positional parameters `arguments` ($1…), the process `environment`
    /// (all exported) and `workingDir` (nil when unknown).
    /// `options` are the shell's option arguments before `-c` or on the `#!` line (`-e`, `-eu`,
    /// `-o errexit`, `-x`), read as `set` reads them.
    public func run(
        _ script: ShellScript, invocation: Invocation, arguments: [String], environment: [String: String],
        workingDir: String?, options: [String] = []
    ) -> ShellOutcome {
        run(
            script.root, then: nil, invocation: invocation, arguments: arguments, environment: environment,
            workingDir: workingDir, options: options)
    }

    /// Runs `root`; when the shell gets to its end, `failure` (a syntax error on a later line) ends it.
    private func run(
        _ root: ShellNode?, then failure: ShellSyntaxError?, notJudged: String? = nil, invocation: Invocation,
        arguments: [String], environment: [String: String], workingDir: String?, options: [String]
    ) -> ShellOutcome {
        let run = ShellRun(evaluator: self, invocation: invocation)
        var state = ShellState(environment: environment, arguments: arguments, workingDir: workingDir)
        state.name = run.dollarZero
        run.applyOptions(options, &state)
        let flow = root.map { run.evaluate($0, &state) } ?? .normal
        if let notJudged, flow != .ended {
            _ = run.end(.notJudged(notJudged), state)
        } else if let failure, flow != .ended {
            let message = run.syntaxDiagnostic(failure, name: run.dollarZero)
            _ = run.end(.failure(ShellFailure(messages: [message], status: 2)), state)
        } else {
            run.finish(flow, state)
        }
        return ShellOutcome(steps: run.steps, endings: run.endings)
    }

    /// Parses and runs `text`; a syntax error ends the run with the shell's message (status 2), after the
    /// complete lines before it, which the shell runs first.
    public func run(
        text: String, invocation: Invocation, arguments: [String], environment: [String: String],
        workingDir: String?, options: [String] = []
    ) -> ShellOutcome {
        switch ShellScript.parse(text) {
        case .success(let script):
            return run(
                script, invocation: invocation, arguments: arguments, environment: environment,
                workingDir: workingDir, options: options)
        case .failure(let error):
            // The lines before the error run first (the prefix parses: it is what the parser accepted).
            let prefix = (try? ShellScript.parse(error.runnablePrefix).get())?.root
            if dialect == .bash && !error.bashRejectsToo {
                // bash takes more than POSIX (arrays, `[[ ]]`, `function f {`): not a failure we can claim.
                let reason = "bash syntax the model does not parse (line \(error.line): \(error.message))"
                return run(
                    prefix, then: nil, notJudged: reason, invocation: invocation, arguments: arguments,
                    environment: environment, workingDir: workingDir, options: options)
            }
            return run(
                prefix, then: error, invocation: invocation, arguments: arguments, environment: environment,
                workingDir: workingDir, options: options)
        }
    }
}
