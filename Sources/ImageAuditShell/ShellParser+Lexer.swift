extension ShellParser {
    static let operators = [
        "&&", "||", ";;", "<<-", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "<", ">",
        "(", ")",
    ]
    static let metacharacters: Set<Unicode.Scalar> = [" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]

    func lexToken() throws(ShellSyntaxError) -> Token {
        skipBlanksAndComment()
        let start = pos
        let startLine = line
        guard let c = char() else { return Token(kind: .eof, line: line, start: pos, end: pos) }
        if c == "\n" {
            advance()
            try readPendingHereDocs()
            return Token(kind: .newline, line: startLine, start: start, end: pos)
        }
        if Self.metacharacters.contains(c) {
            for op in Self.operators where matches(op) {
                pos += op.unicodeScalars.count
                return Token(kind: .op(op), line: startLine, start: start, end: pos)
            }
        }
        let word = try readWord()
        if let literal = word.plainLiteral, literal.allSatisfy(\.isASCII), literal.allSatisfy(\.isNumber),
            let next = char(), next == "<" || next == ">", let number = Int(literal)
        {
            return Token(kind: .ioNumber(number), line: startLine, start: start, end: pos)
        }
        return Token(kind: .word(word), line: startLine, start: start, end: pos)
    }

    private func matches(_ op: String) -> Bool {
        var offset = 0
        for scalar in op.unicodeScalars {
            guard char(at: offset) == scalar else { return false }
            offset += 1
        }
        return true
    }

    private func skipBlanksAndComment() {
        while let c = char() {
            if c == " " || c == "\t" {
                pos += 1
            } else if c == "\\", char(at: 1) == "\n" {
                advance()
                advance()
            } else if c == "#" {
                while let c = char(), c != "\n" { pos += 1 }
            } else {
                return
            }
        }
    }

    /// An unquoted word, up to the next blank or metacharacter.
    func readWord() throws(ShellSyntaxError) -> ShellWord {
        var builder = PartsBuilder()
        while let c = char(), !Self.metacharacters.contains(c) {
            try readPart(c, into: &builder, inDoubleQuotes: false)
        }
        return ShellWord(builder.finish())
    }

    /// One character's worth of a word (quotes and expansions consume more) outside double quotes.
    func readPart(_ c: Unicode.Scalar, into builder: inout PartsBuilder, inDoubleQuotes: Bool)
        throws(ShellSyntaxError)
    {
        switch c {
        case "\\":
            advance()
            guard let escaped = char() else { return builder.literal("\\") }
            advance()
            if escaped != "\n" { builder.append(.escaped(Character(escaped))) }
        case "'":
            let quoteLine = line
            advance()
            let start = pos
            while let c = char(), c != "'" { advance() }
            guard !atEnd else { throw unterminated("'", openedOn: quoteLine) }
            builder.append(.singleQuoted(source(from: start, to: pos)))
            advance()
        case "\"":
            let quoteLine = line
            advance()
            builder.append(.doubleQuoted(try readDoubleQuoted(openedOn: quoteLine)))
        case "$":
            try readDollar(into: &builder)
        case "`":
            builder.append(try readBackquote(inDoubleQuotes: inDoubleQuotes))
        default:
            advance()
            builder.literal(c)
        }
    }

    private func unterminated(_ quote: String, openedOn quoteLine: Int) -> ShellSyntaxError {
        var error = ShellSyntaxError(line: line, detail: "Unterminated quoted string")
        error.openQuote = (quote, quoteLine)
        return error
    }

    private func readDoubleQuoted(openedOn quoteLine: Int) throws(ShellSyntaxError) -> [WordPart] {
        var builder = PartsBuilder()
        while true {
            guard let c = char() else { throw unterminated("\"", openedOn: quoteLine) }
            switch c {
            case "\"":
                advance()
                return builder.finish()
            case "\\":
                advance()
                guard let next = char() else { continue }
                if next == "\n" {
                    advance()
                } else if next == "$" || next == "`" || next == "\"" || next == "\\" {
                    advance()
                    builder.append(.escaped(Character(next)))
                } else {
                    builder.literal("\\")
                }
            case "$": try readDollar(into: &builder)
            case "`": builder.append(try readBackquote(inDoubleQuotes: true))
            default:
                advance()
                builder.literal(c)
            }
        }
    }

    /// `` `…` ``: backslash keeps its meaning only before `$`, `` ` `` and `\` (and `"` inside "…").
    private func readBackquote(inDoubleQuotes: Bool) throws(ShellSyntaxError) -> WordPart {
        advance()
        let startLine = line
        var inner: [Unicode.Scalar] = []
        while true {
            guard let c = char() else { throw ShellSyntaxError(line: line, detail: "EOF in backquote substitution") }
            advance()
            if c == "`" { break }
            if c == "\\", let next = char(),
                next == "$" || next == "`" || next == "\\" || (inDoubleQuotes && next == "\"")
            {
                advance()
                inner.append(next)
            } else {
                inner.append(c)
            }
        }
        let nested = ShellParser(text: inner, line: startLine, depth: depth + 1)
        let node = try nested.parseProgram()
        var sourceText = ""
        sourceText.unicodeScalars.append(contentsOf: inner)
        return .commandSubstitution(node, source: sourceText)
    }

    /// Here-document bodies start after the newline that ends the line holding their `<<`.
    func readPendingHereDocs() throws(ShellSyntaxError) {
        let pending = pendingHereDocs
        pendingHereDocs = []
        for doc in pending {
            var body = ""
            while !atEnd {
                let start = pos
                while let c = char(), c != "\n" { pos += 1 }
                var lineText = source(from: start, to: pos)
                if !atEnd { advance() }
                if doc.stripTabs { lineText = String(lineText.drop { $0 == "\t" }) }
                if lineText == doc.delimiter { break }
                body += lineText + "\n"
            }
            hereDocBodies[doc.index] = body
        }
    }
}

/// Accumulates word parts, merging adjacent unquoted characters into one literal.
struct PartsBuilder {
    private var parts: [WordPart] = []
    private var pending = ""

    mutating func literal(_ c: Unicode.Scalar) { pending.unicodeScalars.append(c) }
    mutating func literal(_ text: String) { pending += text }

    mutating func append(_ part: WordPart) {
        flush()
        parts.append(part)
    }

    mutating func finish() -> [WordPart] {
        flush()
        return parts
    }

    private mutating func flush() {
        if !pending.isEmpty { parts.append(.literal(pending)) }
        pending = ""
    }
}
