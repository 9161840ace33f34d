/// A recursive-descent parser for the XCU 2.10 shell grammar, with dash's error wording.
///
/// Lexing is driven by the parser (reserved words are only reserved where a command starts, and
/// `$(…)` is parsed recursively where it appears, as dash and bash do).
final class ShellParser {
    struct Token {
        enum Kind: Equatable {
            case word(ShellWord)
            case op(String)
            case ioNumber(Int)
            case newline
            case eof
        }
        var kind: Kind
        var line: Int
        var start: Int
        var end: Int
    }

    struct PendingHereDoc {
        var index: Int
        var delimiter: String
        var stripTabs: Bool
    }

    let text: [Unicode.Scalar]
    var pos: Int
    var line: Int
    var peeked: Token?
    var pendingHereDocs: [PendingHereDoc] = []
    var hereDocBodies: [String] = []
    /// Where the last complete top-level line ended (what the shell has run before an error).
    var completeEnd = 0
    /// Nesting of compound commands and of `${…}` words: bounded so hostile input cannot exhaust the stack.
    var nesting = 0
    static let nestingLimit = 200

    func enterNesting() throws(ShellSyntaxError) {
        nesting += 1
        if nesting > Self.nestingLimit { throw ShellSyntaxError(line: line, detail: "commands nested too deep") }
    }
    /// Nesting depth of `$(…)`, to refuse pathological input instead of overflowing the stack.
    let depth: Int

    init(text: [Unicode.Scalar], pos: Int = 0, line: Int = 1, depth: Int = 0) {
        self.text = text
        self.pos = pos
        self.line = line
        self.depth = depth
    }

    static let keywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "in", "{", "}",
        "!",
    ]

    // MARK: Tokens

    func peek() throws(ShellSyntaxError) -> Token {
        if let peeked { return peeked }
        let token = try lexToken()
        peeked = token
        return token
    }

    @discardableResult
    func next() throws(ShellSyntaxError) -> Token {
        let token = try peek()
        peeked = nil
        return token
    }

    /// The reserved word at the current token, if it is one (only meaningful where a command starts).
    func peekKeyword() throws(ShellSyntaxError) -> String? {
        if case .word(let word) = try peek().kind, let literal = word.plainLiteral, Self.keywords.contains(literal) {
            return literal
        }
        return nil
    }

    func isOperator(_ op: String) throws(ShellSyntaxError) -> Bool {
        try peek().kind == .op(op)
    }

    func skipNewlines() throws(ShellSyntaxError) {
        while try peek().kind == .newline { try next() }
    }

    /// dash's name for a token in "X unexpected".
    static func describe(_ token: Token) -> String {
        switch token.kind {
        case .eof: "end of file"
        case .newline: "newline"
        case .op(let op): "\"\(op)\""
        case .ioNumber(let n): "\"\(n)\""
        case .word(let word):
            if let literal = word.plainLiteral, keywords.contains(literal) { "\"\(literal)\"" } else { "word" }
        }
    }

    func unexpected(_ token: Token, expecting: String? = nil) -> ShellSyntaxError {
        // dash quotes the token it expected, except the class `word`.
        ShellSyntaxError(
            line: token.line, found: Self.describe(token), expecting: expecting.map { $0 == "word" ? $0 : "\"\($0)\"" })
    }

    func expectKeyword(_ keyword: String) throws(ShellSyntaxError) {
        guard try peekKeyword() == keyword else { throw unexpected(try peek(), expecting: keyword) }
        try next()
    }

    func source(from start: Int, to end: Int) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: text[max(0, start)..<min(end, text.count)])
        return result
    }

    // MARK: Characters

    var atEnd: Bool { pos >= text.count }

    func char(at offset: Int = 0) -> Unicode.Scalar? {
        let index = pos + offset
        return index < text.count ? text[index] : nil
    }

    func advance() {
        if text[pos] == "\n" { line += 1 }
        pos += 1
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || ("0"..."9").contains(c) }

    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isNameStart(first) else { return false }
        return text.unicodeScalars.allSatisfy(isNameChar)
    }
}
