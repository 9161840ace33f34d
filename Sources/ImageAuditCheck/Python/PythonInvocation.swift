/// What `argv` asks a Python interpreter to do: `python3 [FLAGS] FILE | -m MOD | -c CODE`.
public struct PythonInvocation: Sendable, Hashable {
    public var interpreter: String
    public var start: PythonSysPath.Start
    public var flags: PythonSysPath.Flags
    /// The `-c` code, scanned for its imports.
    public var code: String?

    /// Whether an executable's name is a CPython 3 interpreter's (`python3`, `python3.11`, `python`).
    public static func isPython(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "python" || name == "python3" || PythonPathBuilder.version(inName: name) != nil
    }

    /// Parses `argv` (argv[0] the interpreter, already resolved to `path`); nil for an
    /// interactive start, `-` (stdin) or an option the model does not follow.
    public init?(argv: [String], path: String) {
        guard !argv.isEmpty, Self.isPython(path) else { return nil }
        interpreter = path
        flags = []
        code = nil
        var index = 1
        while index < argv.count {
            let arg = argv[index]
            if arg == "-" { return nil }  // the program comes on standard input
            guard arg.hasPrefix("-") else {
                start = .script(arg)
                return
            }
            if arg == "--" {
                guard index + 1 < argv.count else { return nil }
                start = .script(argv[index + 1])
                return
            }
            // Short options may be bundled (`-uBc`); -c, -m, -W, -X, -Q take an argument.
            var letters = Array(arg.dropFirst())
            while !letters.isEmpty {
                let letter = letters.removeFirst()
                switch letter {
                case "E": flags.insert(.ignoreEnvironment)
                case "s": flags.insert(.noUserSite)
                case "I": flags.formUnion(.isolated)
                case "P": flags.insert(.safePath)
                case "c", "m", "W", "X":
                    let value = letters.isEmpty ? (index + 1 < argv.count ? argv[index + 1] : nil) : String(letters)
                    guard let value else { return nil }
                    if letters.isEmpty { index += 1 }
                    letters = []
                    if letter == "c" {
                        start = .command
                        code = value
                        return
                    }
                    if letter == "m" {
                        start = .module(value)
                        return
                    }
                case "b", "B", "d", "i", "O", "q", "R", "S", "u", "v", "x": break
                default: return nil
                }
            }
            index += 1
        }
        return nil
    }
}
