/// The shell's own argv (`sh -ec STRING NAME ARG…`, `bash --posix FILE ARG…`), read as the shells read it:
/// options (with `-c` anywhere among them) come before the first operand; with `-c` the first operand is
/// the command string, the next `$0`, the rest `$1`…; without it, the first operand is the script file.
/// Checked with dash, bash and busybox (`sh -e -c`, `sh -c -e`, `sh -ec`, `sh -o errexit -c`, `sh -c --`).
public struct ShellCommandLine: Sendable, Equatable {
    /// Options to pass to `ShellEvaluator.run(…options:)` (`-e`, `-u`, `-o NAME`; `-c`, `-s` removed).
    public var options: [String] = []
    public var commandString: String?
    public var scriptPath: String?
    /// `$0` given after the command string.
    public var name: String?
    public var arguments: [String] = []
    /// `-s`, or no operand: commands come from standard input, which the model does not have.
    public var readsStandardInput = false
    /// bash's `--posix` (being run as `sh` also puts bash in POSIX mode: see `ShellEvaluator.bashPOSIXMode`).
    public var posix = false

    /// Parses the arguments after argv[0]; nil for an option that takes a file the model does not follow
    /// (bash `--rcfile`, `--init-file`).
    public static func parse(_ arguments: [String]) -> ShellCommandLine? {
        var line = ShellCommandLine()
        var commandMode = false
        var rest = arguments[...]
        while let arg = rest.first, arg.count > 1, arg.hasPrefix("-") || arg.hasPrefix("+") {
            rest.removeFirst()
            if arg == "--" || arg == "-" { break }
            if arg.hasPrefix("--") {
                switch arg {
                case "--posix": line.posix = true
                case "--rcfile", "--init-file": return nil
                default: continue  // --login, --noprofile, --norc, --verbose…: nothing the model follows
                }
                continue
            }
            let sign = String(arg.prefix(1))
            var letters = ""
            for letter in arg.dropFirst() {
                switch letter {
                case "c": commandMode = true
                case "s": line.readsStandardInput = true
                case "o", "O":
                    guard let name = rest.first else { continue }
                    rest.removeFirst()
                    if letter == "o" { line.options += [sign + "o", name] }
                default: letters.append(letter)
                }
            }
            if !letters.isEmpty { line.options.append(sign + letters) }
        }
        if commandMode {
            guard let text = rest.first else { return nil }
            line.commandString = text
            rest.removeFirst()
            line.name = rest.first
            line.arguments = Array(rest.dropFirst())
        } else if !line.readsStandardInput, let path = rest.first {
            line.scriptPath = path
            line.arguments = Array(rest.dropFirst())
        } else {
            line.readsStandardInput = true
            line.arguments = Array(rest)
        }
        return line
    }

    /// How to run it, given the shell's argv[0]; nil when the commands come from standard input.
    public func invocation(shellArgv0: String) -> ShellEvaluator.Invocation? {
        if commandString != nil { return .commandString(shellArgv0: shellArgv0, name: name) }
        return scriptPath.map { .scriptFile(path: $0) }
    }
}
