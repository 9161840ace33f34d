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
    public func run(
        _ script: ShellScript, invocation: Invocation, arguments: [String], environment: [String: String],
        workingDir: String?
    ) -> ShellOutcome {
        let run = ShellRun(evaluator: self, invocation: invocation)
        var state = ShellState(environment: environment, arguments: arguments, workingDir: workingDir)
        state.name = run.dollarZero
        guard let root = script.root else {
            return ShellOutcome(steps: [], endings: [ShellEnding(kind: .exit(status: 0), certainty: .definite)])
        }
        let flow = run.evaluate(root, &state)
        run.finish(flow, state)
        return ShellOutcome(steps: run.steps, endings: run.endings)
    }

    /// Parses and runs `text`; a syntax error ends the run with the shell's message (status 2).
    public func run(
        text: String, invocation: Invocation, arguments: [String], environment: [String: String],
        workingDir: String?
    ) -> ShellOutcome {
        switch ShellScript.parse(text) {
        case .success(let script):
            return run(script, invocation: invocation, arguments: arguments, environment: environment,
                workingDir: workingDir)
        case .failure(let error):
            let run = ShellRun(evaluator: self, invocation: invocation)
            let message = error.diagnostic(dialect: dialect, shellName: run.dollarZero,
                commandString: run.isCommandString)
            let failure = ShellFailure(messages: [message], status: 2)
            // Both shells run the complete commands before the line in error; the model does not.
            return ShellOutcome(steps: [], endings: [ShellEnding(kind: .failure(failure), certainty: .definite)])
        }
    }
}
