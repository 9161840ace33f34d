/// A parsed shell program: the `STRING` of `sh -c STRING`, or a script file's text.
public struct ShellScript: Sendable, Equatable {
    /// The program; nil when it holds no command (empty, blanks, comments).
    public var root: ShellNode?

    public init(root: ShellNode?) { self.root = root }

    /// Parses `text` with the XCU grammar. A syntax error is a value: the shell would print it and exit 2
    /// before running anything (dash and bash parse a whole `-c` string line by line, so commands on
    /// lines before the error do run: see `ShellSyntaxError.line`).
    public static func parse(_ text: String) -> Result<ShellScript, ShellSyntaxError> {
        let parser = ShellParser(text: Array(text.unicodeScalars))
        do {
            return .success(ShellScript(root: try parser.parseProgram()))
        } catch {
            var error = error
            var prefix = ""
            prefix.unicodeScalars.append(contentsOf: parser.text[..<parser.completeEnd])
            error.runnablePrefix = prefix
            // bash counts the end of `-c TEXT` and of a file as the line after the last one.
            let newlines = parser.text.count { $0 == "\n" }
            error.bashEndLine = newlines + (parser.text.last == "\n" ? 1 : 2)
            return .failure(error)
        }
    }
}
