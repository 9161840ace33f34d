/// `ruby [switches] [--] FILE` and `php [options] [-f] FILE`: which file they open. Checked live
/// with Debian bookworm's ruby 3.1 (`ruby: No such file or directory -- FILE (LoadError)`, argv[0]
/// as given, status 1) and php 8.2 (`Could not open input file: FILE`, status 1, also when unreadable).
extension StartPath {
    enum ScriptArgument: Equatable {
        case file(String)
        /// The program opens no file here (help, version): nothing to judge.
        case none
        case notJudged(String)
    }

    /// Ruby's switches up to the script name; anything that runs code other than the file, or a
    /// switch not listed here, is not judged.
    func rubyScript(_ args: inout ArraySlice<String>) -> ScriptArgument {
        let separate: Set<String> = [
            "-I", "-r", "-E", "--enable", "--disable", "--encoding", "--external-encoding", "--internal-encoding",
        ]
        while let arg = args.first, arg.hasPrefix("-"), arg != "-" {
            args.removeFirst()
            if arg == "--" { break }
            if ["-h", "--help", "--version", "--copyright"].contains(arg) { return .none }
            if separate.contains(arg) {
                guard args.popFirst() != nil else { return .notJudged("ruby \(arg) without its argument") }
                continue
            }
            let known =
                arg.hasPrefix("--enable=") || arg.hasPrefix("--disable") || arg.hasPrefix("--encoding=")
                || arg.hasPrefix("-I") || arg.hasPrefix("-r") || arg.hasPrefix("-W") || arg.hasPrefix("-E")
                || ["-w", "-v", "-d", "-c", "-l", "-n", "-p", "-a", "-s", "--verbose", "--yydebug", "-y"].contains(arg)
            guard known else { return .notJudged("ruby's switch \(arg) is not followed") }
            if arg == "-v" && args.isEmpty { return .none }
        }
        guard let file = args.first, file != "-" else { return .none }
        return .file(file)
    }

    /// PHP CLI's options up to the script (`-f FILE` or the first operand).
    func phpScript(_ args: inout ArraySlice<String>) -> ScriptArgument {
        while let arg = args.first, arg.hasPrefix("-"), arg != "-" {
            args.removeFirst()
            if arg == "--" { break }
            if ["-h", "--help", "-v", "--version", "-i", "--info", "-m", "--modules", "--ini"].contains(arg) {
                return .none
            }
            if arg == "-f" || arg == "--file" {
                guard let file = args.first else { return .notJudged("php -f without a file") }
                return .file(file)
            }
            if ["-c", "--php-ini", "-d", "--define", "-z", "--zend-extension"].contains(arg) {
                guard args.popFirst() != nil else { return .notJudged("php \(arg) without its argument") }
                continue
            }
            if arg.hasPrefix("-d") || arg.hasPrefix("-c") { continue }
            guard
                [
                    "-n", "--no-php-ini", "-q", "--no-header", "-e", "--profile-info", "-H", "--hide-args",
                    "-C", "--no-chdir",
                ].contains(arg)
            else { return .notJudged("php's option \(arg) is not followed") }
        }
        guard let file = args.first else { return .none }
        return .file(file)
    }
}
