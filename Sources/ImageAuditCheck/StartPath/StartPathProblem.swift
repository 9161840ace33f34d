/// What goes wrong after argv[0] has been exec'd: in a shell, a wrapper or an interpreter that
/// the program the image means to run is reached through (see docs/start-path.md).
enum StartPathProblem: Sendable, Hashable {
    /// A shell, wrapper (tini, env, gosu…) or interpreter could not find or run a command.
    case commandNotFound(runner: String, command: String)
    /// The command was found but may not be executed (126).
    case commandNotExecutable(runner: String, command: String)
    /// An interpreter given a file (`python3 FILE`, `perl FILE`, `sh FILE`) that does not exist or
    /// that the user may not read.
    case scriptFileMissing(interpreter: String, file: String, unreadable: Bool)
    /// The shell stops with an error of its own: syntax, `set -u`, `${X:?}`, a failing `cd`.
    case shellError(shell: String, status: Int)
    /// What the program does next cannot be judged statically: never a pass.
    case notJudged(what: String, reason: String)
}
