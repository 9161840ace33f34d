/// How sure the model is that a step runs.
public enum ShellCertainty: Sendable, Equatable {
    /// Runs whenever the shell gets this far (earlier steps may still stop it: see `exitsOnFailure`).
    case definite
    /// Runs only in some cases: after `||`, in an `if` branch whose test is not known, in a loop…
    case conditional(String)
    /// Cannot be judged statically (a command word from an unset variable, `eval`, `$(…)` …). Never a pass.
    case notJudged(String)

    var isDefinite: Bool { self == .definite }
}

/// A failure the shell reports itself, in its own words.
public struct ShellFailure: Sendable, Equatable {
    /// The lines printed on stderr.
    public var messages: [String]
    /// The status it leads to (127 not found, 126 cannot execute, 2 syntax or special-builtin error).
    public var status: Int

    public init(messages: [String], status: Int) {
        self.messages = messages
        self.status = status
    }
}

/// One command the shell runs outside itself, or one it cannot judge.
public struct ShellStep: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An external command: the shell forks and waits (or execs it as the last command of `-c`).
        case command
        /// `exec CMD`: the program replaces the shell.
        case exec
        /// A busybox applet run in-process or re-exec'd (FEATURE_SH_STANDALONE), no PATH search.
        case applet
        /// A file read by `.`/`source` (argv holds its name).
        case sourced
        /// A builtin that fails with a message of its own (`cd`, `shift`); nothing is executed.
        case builtin
    }
    public var kind: Kind
    /// Command word first. May be shorter than the real argv when `unknownArguments` is set.
    public var argv: [String]
    /// Why the rest of argv is unknown (e.g. a `$(…)` argument); nil when argv is exact.
    public var unknownArguments: String?
    /// What `ShellWorld.resolveCommand` answered (nil for not-judged steps and applets).
    public var resolution: CommandResolution?
    /// The working directory, nil when not known statically.
    public var workingDir: String?
    /// The exported variables the program receives (those with known values).
    public var environment: [String: String]
    public var certainty: ShellCertainty
    /// 1-based line in the script or `-c` string, and the command as written.
    public var line: Int
    public var source: String
    /// Set when the shell itself fails to run it (not found, permission denied).
    public var failure: ShellFailure?
    /// True when the shell stops here if the command fails (`set -e`, or it is an `exec`).
    public var exitsOnFailure: Bool
    /// True inside `( … )`, a pipeline or `&`: an `exec` there replaces a subshell only.
    public var inSubshell: Bool
}

/// One way the shell can end.
public struct ShellEnding: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Replaced by the program of `steps[step]` (`exec CMD`).
        case exec
        /// Exits with this status; nil: the status of `steps[step]` (a command the model does not run),
        /// or unknown when `step` is nil too.
        case exit(status: Int?)
        /// Stops with a failure the shell reports (exec not found, `set -e`, `${X:?}`, syntax…).
        case failure(ShellFailure)
        /// The rest of the run cannot be followed (loop without known bound, …).
        case notJudged(String)
    }
    public var kind: Kind
    public var certainty: ShellCertainty
    /// The step exec'd, or the last step run before exiting; nil when none.
    public var step: Int?

    public init(kind: Kind, certainty: ShellCertainty, step: Int? = nil) {
        self.kind = kind
        self.certainty = certainty
        self.step = step
    }
}

/// What a shell would do with a script: the ordered steps and how it ends.
public struct ShellOutcome: Sendable, Equatable {
    public var steps: [ShellStep]
    /// Every way the run can end; exactly one definite ending when everything was known.
    public var endings: [ShellEnding]

    /// The program the shell is replaced by, when that is the one definite ending.
    public var finalExec: ShellStep? {
        guard endings.count == 1, endings[0].certainty.isDefinite, endings[0].kind == .exec,
            let index = endings[0].step
        else { return nil }
        return steps[index]
    }

    /// Steps that were not judged, with their reasons: never to be reported as a pass.
    public var notJudged: [ShellStep] {
        steps.filter { if case .notJudged = $0.certainty { true } else { false } }
    }
}
