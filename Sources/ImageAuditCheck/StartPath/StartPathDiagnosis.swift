/// The cause and fixes of a problem after the first exec.
enum StartPathDiagnosis {
    static func explain(_ problem: StartPathProblem) -> (FindingCode, String, String, [String]) {
        switch problem {
        case .commandNotFound(let runner, let command):
            return (
                .commandNotFound, command,
                "\(runner) runs `\(command)`, which is not in the image (or not on its PATH)",
                [
                    "install or COPY \(command) into the final stage, or fix the command's name or PATH",
                    "or call it by its absolute path",
                ]
            )
        case .commandNotExecutable(let runner, let command):
            return (
                .notExecutable, command, "\(runner) runs \(command), which the user may not execute",
                ["make it executable: COPY --chmod=0755 … or RUN chmod 0755 \(command)"]
            )
        case .scriptFileMissing(let interpreter, let file, let unreadable):
            let cause =
                unreadable
                ? "\(interpreter) is given \(file), which the container user may not read"
                : "\(interpreter) is given \(file), which does not exist in the image"
            return (
                .scriptFileMissing, file, cause,
                unreadable
                    ? ["let the user read it: COPY --chmod=0644 … or RUN chmod a+r \(file)"]
                    : ["COPY the file into the final stage, or fix its path (relative paths start at WorkingDir)"]
            )
        case .shellError(let shell, let status):
            return (
                .shellError, shell,
                "\(shell) stops with an error of its own (status \(status)) before the program starts",
                ["run the command with the same shell locally (docker run --entrypoint …) and fix the line it names"]
            )
        case .notJudged(let what, let reason):
            return (
                .notJudged, what, "\(what) is not judged (\(reason)); the audit does not count it as a pass",
                []
            )
        }
    }
}
