extension ShellParser {
    /// Assignments, words and redirections; or `name() compound-command`.
    func parseSimple() throws(ShellSyntaxError) -> ShellNode {
        let first = try peek()
        var command = SimpleCommand(assignments: [], words: [], redirections: [], line: first.line, source: "")
        var end = first.start
        while true {
            if let redirection = try parseRedirection() {
                command.redirections.append(redirection)
                end = pos
                continue
            }
            let token = try peek()
            guard case .word(let word) = token.kind else { break }
            try next()
            end = token.end
            if command.words.isEmpty, let assignment = Self.assignment(word) {
                command.assignments.append(assignment)
                continue
            }
            command.words.append(word)
            if command.words.count == 1, command.assignments.isEmpty, command.redirections.isEmpty,
                try isOperator("("), let name = word.plainLiteral
            {
                return try parseFunction(name: name, line: token.line)
            }
        }
        if command.words.isEmpty && command.assignments.isEmpty && command.redirections.isEmpty {
            throw unexpected(try peek())
        }
        command.source = source(from: first.start, to: end)
        return .simple(command)
    }

    private func parseFunction(name: String, line: Int) throws(ShellSyntaxError) -> ShellNode {
        try next()
        let close = try next()
        guard close.kind == .op(")") else { throw unexpected(close, expecting: ")") }
        try skipNewlines()
        let body = try parseBody()
        return .function(name: name, body: body, line: line)
    }

    /// XCU 2.9.5 wants a compound command; dash also takes a simple one (`f() echo`).
    private func parseBody() throws(ShellSyntaxError) -> ShellNode {
        if let node = try parseSingleCommand() { return node }
        return try parseSimple()
    }

    /// `NAME=value` at the start of a simple command: the name must be an unquoted valid name.
    static func assignment(_ word: ShellWord) -> Assignment? {
        guard case .literal(let text) = word.parts.first, let equals = text.firstIndex(of: "=") else { return nil }
        let name = String(text[..<equals])
        guard isName(name) else { return nil }
        var rest = word.parts
        let value = String(text[text.index(after: equals)...])
        if value.isEmpty { rest.removeFirst() } else { rest[0] = .literal(value) }
        return Assignment(name: name, value: ShellWord(rest))
    }

    /// Puts each here-document body, read after its line ended, into its redirection.
    func fillHereDocs(_ node: ShellNode) -> ShellNode {
        guard !hereDocBodies.isEmpty else { return node }
        func fill(_ redirections: [Redirection]) -> [Redirection] {
            redirections.map { redirection in
                var copy = redirection
                if let marker = redirection.hereDocument, marker.hasPrefix("\u{0}"),
                    let index = Int(marker.dropFirst()), index < hereDocBodies.count
                {
                    copy.hereDocument = hereDocBodies[index]
                }
                return copy
            }
        }
        switch node {
        case .simple(var command):
            command.redirections = fill(command.redirections)
            return .simple(command)
        case .pipeline(let nodes, let negated): return .pipeline(nodes.map(fillHereDocs), negated: negated)
        case .and(let a, let b): return .and(fillHereDocs(a), fillHereDocs(b))
        case .or(let a, let b): return .or(fillHereDocs(a), fillHereDocs(b))
        case .sequence(let nodes): return .sequence(nodes.map(fillHereDocs))
        case .background(let a): return .background(fillHereDocs(a))
        case .group(let a, let r): return .group(fillHereDocs(a), redirections: fill(r))
        case .subshell(let a, let r): return .subshell(fillHereDocs(a), redirections: fill(r))
        case .ifClause(let branches, let otherwise, let r):
            return .ifClause(
                branches.map { ConditionalBranch(condition: fillHereDocs($0.condition), body: fillHereDocs($0.body)) },
                otherwise: otherwise.map(fillHereDocs), redirections: fill(r))
        case .loop(let condition, let body, let until, let r):
            return .loop(
                condition: fillHereDocs(condition), body: fillHereDocs(body), until: until,
                redirections: fill(r))
        case .forLoop(let name, let words, let body, let r):
            return .forLoop(name: name, words: words, body: fillHereDocs(body), redirections: fill(r))
        case .caseClause(let word, let items, let r):
            return .caseClause(
                word, items.map { CaseItem(patterns: $0.patterns, body: $0.body.map(fillHereDocs)) },
                redirections: fill(r))
        case .function(let name, let body, let line):
            return .function(name: name, body: fillHereDocs(body), line: line)
        }
    }
}
