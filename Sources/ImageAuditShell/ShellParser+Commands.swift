extension ShellParser {
    /// A whole program (or the inside of `$(…)` when `closingParen`, which consumes the `)`).
    func parseProgram(closingParen: Bool = false) throws(ShellSyntaxError) -> ShellNode? {
        let node = try parseList(topLevel: !closingParen && depth == 0)
        let token = try next()
        if closingParen {
            guard token.kind == .op(")") else { throw unexpected(token, expecting: ")") }
        } else if token.kind != .eof {
            throw unexpected(token)
        }
        return node.map(fillHereDocs)
    }

    private static let listTerminators: Set<String> = ["then", "else", "elif", "fi", "do", "done", "esac", "}"]

    private func atListEnd() throws(ShellSyntaxError) -> Bool {
        let token = try peek()
        switch token.kind {
        case .eof, .op(")"), .op(";;"): return true
        default: return Self.listTerminators.contains(try peekKeyword() ?? "")
        }
    }

    /// and-or lists separated by `;`, `&` or newlines; nil when empty.
    func parseList(topLevel: Bool = false) throws(ShellSyntaxError) -> ShellNode? {
        var items: [ShellNode] = []
        try skipNewlines()
        while try !atListEnd() {
            var node = try parseAndOr()
            let token = try peek()
            switch token.kind {
            case .op("&"):
                try next()
                node = .background(node)
            case .op(";"), .newline:
                try next()
                // The shell reads and runs one line's complete commands at a time.
                if topLevel && token.kind == .newline { completeEnd = token.end }
            default:
                items.append(node)
                return items.count == 1 ? items[0] : .sequence(items)
            }
            items.append(node)
            try skipNewlines()
        }
        if items.isEmpty { return nil }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// A non-empty compound list, as after `then`, `do`, `{`.
    private func parseCompoundList() throws(ShellSyntaxError) -> ShellNode {
        guard let node = try parseList() else {
            // At the end of the input dash reports the keyword it still expects, not the empty list.
            if try peek().kind == .eof { return .sequence([]) }
            throw unexpected(try peek())
        }
        return node
    }

    private func parseAndOr() throws(ShellSyntaxError) -> ShellNode {
        var node = try parsePipeline()
        while true {
            let token = try peek()
            guard token.kind == .op("&&") || token.kind == .op("||") else { return node }
            try next()
            try skipNewlines()
            let right = try parsePipeline()
            node = token.kind == .op("&&") ? .and(node, right) : .or(node, right)
        }
    }

    private func parsePipeline() throws(ShellSyntaxError) -> ShellNode {
        var negated = false
        if try peekKeyword() == "!" {
            try next()
            negated = true
        }
        var commands = [try parseCommand()]
        while try isOperator("|") {
            try next()
            try skipNewlines()
            commands.append(try parseCommand())
        }
        return commands.count == 1 && !negated ? commands[0] : .pipeline(commands, negated: negated)
    }

    private func parseCommand() throws(ShellSyntaxError) -> ShellNode {
        if let compound = try parseSingleCommand() { return compound }
        return try parseSimple()
    }

    /// A compound command at the current token, or nil when a simple command starts here.
    func parseSingleCommand() throws(ShellSyntaxError) -> ShellNode? {
        try enterNesting()
        defer { nesting -= 1 }
        let token = try peek()
        if token.kind == .op("(") {
            try next()
            let body = try parseCompoundList()
            let close = try next()
            guard close.kind == .op(")") else { throw unexpected(close, expecting: ")") }
            return .subshell(body, redirections: try parseRedirections())
        }
        switch try peekKeyword() {
        case "{":
            try next()
            let body = try parseCompoundList()
            try expectKeyword("}")
            return .group(body, redirections: try parseRedirections())
        case "if": return try parseIf()
        case "while", "until": return try parseLoop()
        case "for": return try parseFor()
        case "case": return try parseCase()
        case .some(let keyword) where keyword != "!" && keyword != "in": throw unexpected(token)
        default: return nil
        }
    }

    private func parseIf() throws(ShellSyntaxError) -> ShellNode {
        try next()
        var branches: [ConditionalBranch] = []
        var otherwise: ShellNode?
        while true {
            let condition = try parseCompoundList()
            try expectKeyword("then")
            branches.append(ConditionalBranch(condition: condition, body: try parseCompoundList()))
            let keyword = try peekKeyword()
            if keyword == "elif" {
                try next()
                continue
            }
            if keyword == "else" {
                try next()
                otherwise = try parseCompoundList()
            }
            try expectKeyword("fi")
            return .ifClause(branches, otherwise: otherwise, redirections: try parseRedirections())
        }
    }

    private func parseLoop() throws(ShellSyntaxError) -> ShellNode {
        let until = try next().kind == .word(ShellWord([.literal("until")]))
        let condition = try parseCompoundList()
        let body = try parseDoGroup()
        return .loop(condition: condition, body: body, until: until, redirections: try parseRedirections())
    }

    private func parseDoGroup() throws(ShellSyntaxError) -> ShellNode {
        try expectKeyword("do")
        let body = try parseCompoundList()
        try expectKeyword("done")
        return body
    }

    private func parseFor() throws(ShellSyntaxError) -> ShellNode {
        try next()
        let nameToken = try next()
        guard case .word(let nameWord) = nameToken.kind, let name = nameWord.plainLiteral, Self.isName(name) else {
            throw ShellSyntaxError(line: nameToken.line, detail: "Bad for loop variable")
        }
        var words: [ShellWord]?
        try skipNewlines()
        if try peekKeyword() == "in" {
            try next()
            var list: [ShellWord] = []
            while case .word(let word) = try peek().kind {
                try next()
                list.append(word)
            }
            words = list
            let end = try peek()
            guard end.kind == .newline || end.kind == .op(";") else { throw unexpected(end) }
            try next()
        } else if try isOperator(";") {
            try next()
        }
        try skipNewlines()
        let body = try parseDoGroup()
        return .forLoop(name: name, words: words, body: body, redirections: try parseRedirections())
    }

    private func parseCase() throws(ShellSyntaxError) -> ShellNode {
        try next()
        let wordToken = try next()
        guard case .word(let subject) = wordToken.kind else { throw unexpected(wordToken, expecting: "word") }
        try skipNewlines()
        try expectKeyword("in")
        var items: [CaseItem] = []
        try skipNewlines()
        while try peekKeyword() != "esac" {
            if try isOperator("(") { try next() }
            var patterns: [ShellWord] = []
            while true {
                let token = try next()
                guard case .word(let pattern) = token.kind else { throw unexpected(token, expecting: ")") }
                patterns.append(pattern)
                guard try isOperator("|") else { break }
                try next()
            }
            let close = try next()
            guard close.kind == .op(")") else { throw unexpected(close, expecting: ")") }
            let body = try parseList()
            items.append(CaseItem(patterns: patterns, body: body))
            if try isOperator(";;") {
                try next()
                try skipNewlines()
            } else if try peekKeyword() == "esac" {
                break
            } else {
                throw unexpected(try peek(), expecting: ";;")
            }
        }
        try expectKeyword("esac")
        return .caseClause(subject, items, redirections: try parseRedirections())
    }

    private func parseRedirections() throws(ShellSyntaxError) -> [Redirection] {
        var result: [Redirection] = []
        while let redirection = try parseRedirection() { result.append(redirection) }
        return result
    }

    /// One redirection at the current token, or nil when there is none.
    func parseRedirection() throws(ShellSyntaxError) -> Redirection? {
        var descriptor: Int?
        if case .ioNumber(let number) = try peek().kind {
            try next()
            descriptor = number
        }
        guard case .op(let text) = try peek().kind, let op = Redirection.Operator(rawValue: text) else {
            if descriptor != nil { throw unexpected(try peek()) }
            return nil
        }
        try next()
        let target = try next()
        guard case .word(let word) = target.kind else { throw unexpected(target) }
        var hereDocument: String?
        if op == .hereDoc || op == .hereDocStrippingTabs {
            hereDocument = "\u{0}\(hereDocBodies.count)"
            pendingHereDocs.append(
                PendingHereDoc(
                    index: hereDocBodies.count, delimiter: Self.quoteRemoved(word),
                    stripTabs: op == .hereDocStrippingTabs))
            hereDocBodies.append("")
        }
        return Redirection(descriptor: descriptor, op: op, target: word, hereDocument: hereDocument)
    }

    /// The text of a word with its quotes removed and no expansion (here-doc delimiters).
    static func quoteRemoved(_ word: ShellWord) -> String {
        word.parts.map { part in
            switch part {
            case .literal(let text), .singleQuoted(let text): text
            case .escaped(let c): String(c)
            case .doubleQuoted(let inner): quoteRemoved(ShellWord(inner))
            case .parameter(let p): "$" + p.name
            case .commandSubstitution(_, let source): "$(" + source + ")"
            case .arithmetic(let text): "$((" + text + "))"
            }
        }.joined()
    }
}
