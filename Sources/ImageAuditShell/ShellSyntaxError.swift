/// A syntax error, as a value: where it is and what the shell's parser saw and expected.
///
/// `message` is dash's wording (`Syntax error: end of file unexpected (expecting "fi")`);
/// `diagnostic(dialect:shellName:)` renders the line each shell prints.
public struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line where the parser stopped.
    public var line: Int
    /// The token found, as dash names it (`"fi"`, `end of file`, `newline`); nil for lexical errors.
    public var found: String?
    /// The token dash says it expected (`"fi"`), if any.
    public var expecting: String?
    /// Lexical errors without a token: `Unterminated quoted string`, `Bad substitution`, …
    public var detail: String?
    /// The complete lines before the error: the shell reads a line at a time, so it runs these
    /// before it reports the error (checked with dash, bash and busybox). Empty when none.
    public var runnablePrefix = ""
    /// The quote left open and the line it opened on (for bash's wording).
    var openQuote: (String, Int)?
    /// bash's line for an error at the end of the input: one past the last line.
    var bashEndLine = 1

    public static func == (a: Self, b: Self) -> Bool {
        a.line == b.line && a.found == b.found && a.expecting == b.expecting && a.detail == b.detail
            && a.runnablePrefix == b.runnablePrefix
    }

    /// True when bash rejects the text too: input that ends inside a command or a quote. Other errors
    /// may be bash syntax (arrays, `[[ … ]]`, `function f {`) that the POSIX parser does not take.
    public var bashRejectsToo: Bool { openQuote != nil || found == "end of file" }

    public init(line: Int, found: String? = nil, expecting: String? = nil, detail: String? = nil) {
        self.line = line
        self.found = found
        self.expecting = expecting
        self.detail = detail
    }

    /// dash's text after `NAME: LINE: `.
    public var message: String {
        if let detail { return "Syntax error: \(detail)" }
        var text = "Syntax error: \(found ?? "end of file") unexpected"
        if let expecting { text += " (expecting \(expecting))" }
        return text
    }

    public var description: String { "line \(line): \(message)" }

    /// The line the shell prints on stderr (exit status 2), e.g. dash
    /// `/bin/sh: 1: Syntax error: ")" unexpected`, busybox `sh: syntax error: unexpected ")"`.
    /// bash's wording is close but not always identical (it names the token differently).
    /// `nameGiven`: busybox shows `line N` only for a script or `-c TEXT NAME` (N one less in `-c`).
    public func diagnostic(dialect: ShellDialect, shellName: String, commandString: Bool, nameGiven: Bool = false)
        -> String
    {
        switch dialect {
        case .dash:
            return "\(shellName): \(line): \(message)"
        case .busyboxAsh:
            var prefix = "\(shellName): "
            if nameGiven || !commandString { prefix += "line \(commandString ? line - 1 : line): " }
            if let detail { return prefix + "syntax error: \(detail.lowercased())" }
            let expect = expecting.map { " (expecting \($0))" } ?? ""
            return prefix + "syntax error: unexpected \(found ?? "end of file")\(expect)"
        case .bash:
            func place(_ line: Int) -> String {
                commandString ? "\(shellName): -c: line \(line)" : "\(shellName): line \(line)"
            }
            if let (quote, quoteLine) = openQuote {
                return "\(place(quoteLine)): unexpected EOF while looking for matching `\(quote)'"
            }
            if let detail { return "\(place(line)): \(detail)" }
            guard let found, found != "end of file" else {
                return "\(place(bashEndLine)): syntax error: unexpected end of file"
            }
            // Not checked: bash also prints the offending line; see `bashRejectsToo`.
            let token = found.hasPrefix("\"") ? String(found.dropFirst().dropLast()) : found
            return "\(place(line)): syntax error near unexpected token `\(token)'"
        }
    }
}
