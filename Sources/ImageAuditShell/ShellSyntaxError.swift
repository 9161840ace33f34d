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
    public func diagnostic(dialect: ShellDialect, shellName: String, commandString: Bool) -> String {
        switch dialect {
        case .dash:
            return "\(shellName): \(line): \(message)"
        case .busyboxAsh:
            if let detail { return "\(shellName): syntax error: \(detail.lowercased())" }
            let expect = expecting.map { " (expecting \($0))" } ?? ""
            return "\(shellName): syntax error: unexpected \(found ?? "end of file")\(expect)"
        case .bash:
            let place = commandString ? "\(shellName): -c: line \(line)" : "\(shellName): line \(line)"
            if let detail { return "\(place): \(detail)" }
            guard let found, found != "end of file" else { return "\(place): syntax error: unexpected end of file" }
            let token = found.hasPrefix("\"") ? String(found.dropFirst().dropLast()) : found
            return "\(place): syntax error near unexpected token `\(token)'"
        }
    }
}
