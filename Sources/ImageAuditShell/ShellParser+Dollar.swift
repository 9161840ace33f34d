extension ShellParser {
    static let specialParameters: Set<Unicode.Scalar> = ["@", "*", "#", "?", "$", "!", "-", "0"]

    /// `$…` at `pos`: a parameter, `${…}`, `$(…)`, `$((…))`, or a lone `$` kept as text.
    func readDollar(into builder: inout PartsBuilder) throws(ShellSyntaxError) {
        advance()
        guard let c = char() else { return builder.literal("$" as String) }
        if c == "{" {
            advance()
            builder.append(.parameter(try readBraceParameter()))
        } else if c == "(", char(at: 1) == "(" {
            pos += 2
            builder.append(.arithmetic(try readArithmetic()))
        } else if c == "(" {
            advance()
            builder.append(try readCommandSubstitution())
        } else if Self.isNameStart(c) {
            let start = pos
            while let c = char(), Self.isNameChar(c) { pos += 1 }
            builder.append(.parameter(ParameterExpansion(name: source(from: start, to: pos), operation: .plain)))
        } else if ("0"..."9").contains(c) || Self.specialParameters.contains(c) {
            advance()
            builder.append(.parameter(ParameterExpansion(name: String(Character(c)), operation: .plain)))
        } else {
            builder.literal("$" as String)
        }
    }

    private func readName() -> String {
        let start = pos
        if let c = char(), Self.isNameStart(c) {
            while let c = char(), Self.isNameChar(c) { pos += 1 }
        } else if let c = char(), ("0"..."9").contains(c) {
            while let c = char(), ("0"..."9").contains(c) { pos += 1 }
        } else if let c = char(), Self.specialParameters.contains(c) {
            pos += 1
        }
        return source(from: start, to: pos)
    }

    private func badSubstitution() -> ShellSyntaxError { ShellSyntaxError(line: line, detail: "Bad substitution") }

    private func readBraceParameter() throws(ShellSyntaxError) -> ParameterExpansion {
        try enterNesting()
        defer { nesting -= 1 }
        // `${#}` is the count; `${#name}` the length of name.
        if char() == "#", let after = char(at: 1), after != "}", after != ":" {
            advance()
            let name = readName()
            guard !name.isEmpty, char() == "}" else { throw badSubstitution() }
            advance()
            return ParameterExpansion(name: name, operation: .length)
        }
        let name = readName()
        guard !name.isEmpty, let c = char() else { throw badSubstitution() }
        if c == "}" {
            advance()
            return ParameterExpansion(name: name, operation: .plain)
        }
        var colon = false
        if c == ":" {
            colon = true
            advance()
        }
        guard let opChar = char() else { throw badSubstitution() }
        let operation: ParameterExpansion.Operation
        switch opChar {
        case "-": operation = .useDefault(colon: colon)
        case "=": operation = .assignDefault(colon: colon)
        case "?": operation = .errorIfUnset(colon: colon)
        case "+": operation = .useAlternative(colon: colon)
        case "#" where !colon:
            if char(at: 1) == "#" {
                advance()
                operation = .removeLargestPrefix
            } else {
                operation = .removeSmallestPrefix
            }
        case "%" where !colon:
            if char(at: 1) == "%" {
                advance()
                operation = .removeLargestSuffix
            } else {
                operation = .removeSmallestSuffix
            }
        default:
            // bash's `${x:1:2}`, `${x/a/b}`, `${x^^}`…: kept as a word the evaluator will not judge.
            let word = try readBraceWord()
            return ParameterExpansion(name: name, operation: colon ? .substring : .unsupported, word: word)
        }
        advance()
        return ParameterExpansion(name: name, operation: operation, word: try readBraceWord())
    }

    /// The word of `${name OP word}`, up to the matching `}` (quotes and expansions nest).
    private func readBraceWord() throws(ShellSyntaxError) -> ShellWord {
        var builder = PartsBuilder()
        while true {
            guard let c = char() else { throw ShellSyntaxError(line: line, found: nil, expecting: "\"}\"") }
            if c == "}" {
                advance()
                return ShellWord(builder.finish())
            }
            if c == "\n" || c == " " || c == "\t" || Self.metacharacters.contains(c) {
                advance()
                builder.literal(c)
            } else {
                try readPart(c, into: &builder, inDoubleQuotes: false)
            }
        }
    }

    /// `$((…))`: the text up to the `))` that closes it.
    private func readArithmetic() throws(ShellSyntaxError) -> String {
        let start = pos
        var depth = 0
        while let c = char() {
            if c == "(" {
                depth += 1
            } else if c == ")" {
                if depth == 0 {
                    guard char(at: 1) == ")" else { break }
                    let expression = source(from: start, to: pos)
                    pos += 2
                    return expression
                }
                depth -= 1
            }
            advance()
        }
        throw ShellSyntaxError(line: line, detail: "Missing '))'")
    }

    /// `$(…)`: parsed by a nested parser from here to its `)`.
    private func readCommandSubstitution() throws(ShellSyntaxError) -> WordPart {
        guard depth < 64 else { throw ShellSyntaxError(line: line, detail: "command substitution nested too deep") }
        let start = pos
        let nested = ShellParser(text: text, pos: pos, line: line, depth: depth + 1)
        let node = try nested.parseProgram(closingParen: true)
        pos = nested.pos
        line = nested.line
        return .commandSubstitution(node, source: source(from: start, to: pos - 1))
    }
}
