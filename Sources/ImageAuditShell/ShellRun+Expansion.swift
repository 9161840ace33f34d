/// The result of expanding a word (XCU 2.6).
enum Expansion: Equatable {
    case fields([String])
    case unknown(String)
    /// The shell stops: `${X:?}`, `set -u` on an unset variable.
    case failed(ShellFailure)
}

extension ShellRun {
    /// Expands `word` into fields: parameter expansion, field splitting, quote removal. Pathname
    /// expansion is not modelled: a word that would glob is unknown.
    func expand(_ word: ShellWord, _ state: inout ShellState) -> Expansion {
        var fields = FieldAccumulator()
        guard case .value(let ifsText) = state.value(of: "IFS") ?? .value(" \t\n") else {
            return .unknown("IFS is not known")
        }
        fields.ifs = Set(ifsText)
        var parts = word.parts
        if case .literal(let text) = parts.first, text.hasPrefix("~") {
            guard let expanded = tilde(text, state) else { return .unknown("tilde expansion of `\(text)`") }
            parts[0] = .singleQuoted(expanded)
        }
        for part in parts {
            if let problem = append(part, to: &fields, quoted: false, &state) { return problem }
        }
        return .fields(fields.finish())
    }

    /// Expands `word` as one field (assignments, `case` words, patterns): no splitting, no globbing.
    func expandWord(_ word: ShellWord, _ state: inout ShellState) -> Expansion {
        var fields = FieldAccumulator()
        fields.ifs = []
        var parts = word.parts
        if case .literal(let text) = parts.first, text.hasPrefix("~") {
            guard let expanded = tilde(text, state) else { return .unknown("tilde expansion of `\(text)`") }
            parts[0] = .singleQuoted(expanded)
        }
        for part in parts {
            if let problem = append(part, to: &fields, quoted: true, &state) { return problem }
        }
        return .fields([fields.finish().joined(separator: " ")])
    }

    private func tilde(_ text: String, _ state: ShellState) -> String? {
        let rest = text.dropFirst()
        guard rest.isEmpty || rest.hasPrefix("/") else { return nil }
        guard case .value(let home) = state.value(of: "HOME") else { return nil }
        return home + rest
    }

    /// Adds one part; returns a problem (unknown or failure) instead when there is one.
    private func append(_ part: WordPart, to fields: inout FieldAccumulator, quoted: Bool, _ state: inout ShellState)
        -> Expansion?
    {
        switch part {
        case .literal(let text):
            if !quoted && ShellPattern.hasGlob(text) { return .unknown("pathname expansion of `\(text)`") }
            fields.appendQuoted(text)
        case .singleQuoted(let text):
            fields.appendQuoted(text)
        case .escaped(let c):
            fields.appendQuoted(String(c))
        case .doubleQuoted(let inner):
            let onlyAt = inner.count == 1 && inner[0] == .parameter(ParameterExpansion(name: "@", operation: .plain))
            if !onlyAt { fields.appendQuoted("") }
            for part in inner {
                if let problem = append(part, to: &fields, quoted: true, &state) { return problem }
            }
        case .commandSubstitution(let node, let source):
            guard let output = staticOutput(of: node, &state) else {
                return .unknown("the output of command substitution `$(\(source))`")
            }
            if quoted { fields.appendQuoted(output) } else { fields.appendSplittable(output) }
        case .arithmetic(let raw):
            // Parameters and substitutions inside are expanded first, as in double quotes.
            let parser = ShellParser(text: Array(("\"" + raw + "\"").unicodeScalars))
            guard let word = try? parser.readWord(), parser.atEnd,
                case .fields(let expanded) = expandWord(word, &state), let text = expanded.first
            else { return .unknown("arithmetic `$((\(raw)))`") }
            guard
                let value = ShellArithmetic.evaluate(
                    text,
                    lookup: { name in
                        if case .value(let v) = state.value(of: name) { return v }
                        return state.value(of: name) == nil ? "" : nil
                    })
            else { return .unknown("arithmetic `$((\(text)))`") }
            fields.appendQuoted(String(value))
        case .parameter(let parameter):
            if parameter.operation == .plain && (parameter.name == "@" || parameter.name == "*") {
                guard let positional = state.positional else { return .unknown(state.positionalReason) }
                if quoted && parameter.name == "*" {
                    // "$*" joins with the first character of IFS (a space when IFS is unset).
                    var separator = " "
                    if case .value(let ifs) = state.value(of: "IFS") ?? .value(" ") {
                        separator = ifs.first.map(String.init) ?? ""
                    }
                    fields.appendQuoted(positional.joined(separator: separator))
                    return nil
                }
                for (index, value) in positional.enumerated() {
                    if quoted {
                        if index > 0 { fields.breakField() }
                        fields.appendQuoted(value)
                    } else {
                        if index > 0 { fields.breakFieldIfStarted() }
                        fields.appendSplittable(value)
                    }
                }
                return nil
            }
            switch expandParameter(parameter, &state) {
            case .fields(let values):
                let value = values.first ?? ""
                if quoted {
                    fields.appendQuoted(value)
                } else {
                    if ShellPattern.hasGlob(value) { return .unknown("pathname expansion of `$\(parameter.name)`") }
                    fields.appendSplittable(value)
                }
            case let problem: return problem
            }
        }
        return nil
    }
}

extension ShellRun {
    /// The output of a command substitution the model can know without running anything:
    /// `$(command -v NAME)` (the official node image's idiom), or what `ShellWorld.commandOutput` answers
    /// for a simple command with a known argv (`$(id -u)`). nil otherwise.
    func staticOutput(of node: ShellNode?, _ state: inout ShellState) -> String? {
        guard case .simple(let command) = node, command.assignments.isEmpty, !command.words.isEmpty else {
            return nil
        }
        var argv: [String] = []
        for word in command.words {
            guard case .fields(let fields) = expand(word, &state) else { return nil }
            argv += fields
        }
        guard argv.count == 3, argv[0] == "command", argv[1] == "-v" else {
            guard !argv.isEmpty, state.functions[argv[0]] == nil else { return nil }
            return evaluator.world.commandOutput(argv).map { output in
                var text = Substring(output)
                while text.hasSuffix("\n") { text = text.dropLast() }
                return String(text)
            }
        }
        let name = argv[2]
        if state.functions[name] != nil || dialect.builtins.contains(name)
            || ShellDialect.specialBuiltins.contains(name)
        {
            return name
        }
        if dialect == .busyboxAsh, evaluator.standaloneApplets.contains(name) { return name }
        guard let path = searchPath(state, prefix: []) else { return nil }
        switch evaluator.world.resolveCommand(name, path, state.workingDir) {
        case .found(let found): return name.contains("/") ? name : found
        case .notFound, .permissionDenied, .isDirectory: return ""
        case .unknown: return nil
        }
    }
}

/// Builds fields as the shell does: quoted text joins the current field, expansion results split on IFS.
struct FieldAccumulator {
    var fields: [String] = []
    var current = ""
    var started = false
    var ifs: Set<Character> = [" ", "\t", "\n"]

    mutating func appendQuoted(_ text: String) {
        current += text
        started = true
    }

    mutating func appendSplittable(_ text: String) {
        for c in text {
            guard ifs.contains(c) else {
                current.append(c)
                started = true
                continue
            }
            if c == " " || c == "\t" || c == "\n" {
                breakFieldIfStarted()
            } else {
                breakField()
            }
        }
    }

    mutating func breakField() {
        fields.append(current)
        current = ""
        started = false
    }

    mutating func breakFieldIfStarted() {
        if started { breakField() }
    }

    mutating func finish() -> [String] {
        if started { fields.append(current) }
        started = false
        return fields
    }
}
