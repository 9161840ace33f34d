extension ShellRun {
    /// The raw value of a parameter: nil when unset.
    private func lookup(_ name: String, _ state: ShellState) -> Known? {
        if let index = Int(name), name.allSatisfy(\.isNumber) {
            if index == 0 { return .value(state.name) }
            guard let positional = state.positional else { return .unknown(state.positionalReason) }
            return index <= positional.count ? .value(positional[index - 1]) : nil
        }
        switch name {
        case "@", "*":
            guard let positional = state.positional else { return .unknown(state.positionalReason) }
            return .value(positional.joined(separator: " "))
        case "#":
            guard let positional = state.positional else { return .unknown(state.positionalReason) }
            return .value(String(positional.count))
        case "?": return state.lastStatus.map { .value(String($0)) } ?? .unknown("the status of an external command")
        case "$": return .unknown("the shell's process id `$$`")
        case "!": return .unknown("the process id `$!`")
        case "-": return .value((state.errexit ? "e" : "") + (state.nounset ? "u" : ""))
        default: return state.value(of: name)
        }
    }

    /// `${name OP word}` as one string (splitting is the caller's).
    func expandParameter(_ parameter: ParameterExpansion, _ state: inout ShellState) -> Expansion {
        let name = parameter.name
        let value = lookup(name, state)
        if case .unknown(let reason) = value { return .unknown(reason) }
        let text: String? = if case .value(let v) = value { v } else { nil }
        func word() -> Expansion {
            guard let word = parameter.word else { return .fields([""]) }
            return expandWord(word, &state)
        }
        switch parameter.operation {
        case .plain:
            guard let text else { return unsetValue(name, state) }
            return .fields([text])
        case .length:
            guard let text else { return unsetValue(name, state, length: true) }
            return .fields([String(text.count)])
        case .useDefault(let colon), .assignDefault(let colon):
            guard text == nil || (colon && text == "") else { return .fields([text ?? ""]) }
            let result = word()
            if case .assignDefault = parameter.operation, case .fields(let values) = result {
                state.assign(name, .value(values.first ?? ""))
            }
            return result
        case .useAlternative(let colon):
            guard text == nil || (colon && text == "") else { return word() }
            return .fields([""])
        case .errorIfUnset(let colon):
            guard text == nil || (colon && text == "") else { return .fields([text ?? ""]) }
            var message: String
            switch word() {
            case .fields(let values): message = values.first ?? ""
            case let other: return other
            }
            if message.isEmpty {
                message =
                    switch dialect {
                    case .bash: colon ? "parameter null or not set" : "parameter not set"
                    case .dash, .busyboxAsh: colon ? "parameter not set or null" : "parameter not set"
                    }
            }
            let prefix = diagnosticPrefix(state, command: nil)
            return .failed(ShellFailure(messages: [prefix + "\(name): \(message)"], status: dialect == .bash ? 127 : 2))
        case .removeSmallestPrefix, .removeLargestPrefix, .removeSmallestSuffix, .removeLargestSuffix:
            guard let text else { return unsetValue(name, state) }
            guard let pattern = parameter.word.flatMap({ compilePattern($0, &state) }) else {
                return .unknown("the pattern of `${\(name)…}`")
            }
            return .fields([pattern.remove(from: text, operation: parameter.operation)])
        case .substring where dialect == .dash, .unsupported where dialect == .dash:
            // dash parses these but fails when it expands them (checked with dash 0.5.12).
            let message = diagnosticPrefix(state, command: nil) + "Bad substitution"
            return .failed(ShellFailure(messages: [message], status: 2))
        case .substring:
            guard let text else { return unsetValue(name, state) }
            guard case .fields(let values) = word() else { return .unknown("the offset of `${\(name):…}`") }
            let numbers = (values.first ?? "").split(separator: ":", omittingEmptySubsequences: false)
                .map { Int($0.trimmingPrefix(" ")) }
            guard let offset = numbers.first ?? nil, numbers.count <= 2, numbers.allSatisfy({ $0 != nil }) else {
                return .unknown("the offset of `${\(name):…}`")
            }
            let chars = Array(text)
            let start = offset < 0 ? max(0, chars.count + offset) : min(offset, chars.count)
            var end = chars.count
            if numbers.count == 2, let length = numbers[1] {
                end = length < 0 ? max(start, chars.count + length) : min(chars.count, start + length)
            }
            return .fields([String(chars[start..<max(start, end)])])
        case .unsupported:
            return .unknown("the expansion `${\(name)…}` is not modelled")
        }
    }

    /// An unset parameter: empty, or the shell stops under `set -u`.
    private func unsetValue(_ name: String, _ state: ShellState, length: Bool = false) -> Expansion {
        guard state.nounset, name != "@", name != "*" else { return .fields([length ? "0" : ""]) }
        let message = dialect == .bash ? "\(name): unbound variable" : "\(name): parameter not set"
        return .failed(
            ShellFailure(
                messages: [diagnosticPrefix(state, command: nil) + message], status: dialect == .bash ? 127 : 2))
    }

    /// A pattern (`case`, `${x#pat}`) from a word: quoted parts match literally. nil when not known.
    func compilePattern(_ word: ShellWord, _ state: inout ShellState) -> ShellPattern? {
        var pattern = ShellPattern()
        for part in word.parts {
            switch part {
            case .literal(let text): pattern.addPattern(text)
            case .singleQuoted(let text): pattern.addLiteral(text)
            case .escaped(let c): pattern.addLiteral(String(c))
            default:
                let quoted: Bool
                if case .doubleQuoted = part { quoted = true } else { quoted = false }
                guard case .fields(let values) = expandWord(ShellWord([part]), &state) else { return nil }
                let text = values.joined(separator: " ")
                if quoted { pattern.addLiteral(text) } else { pattern.addPattern(text) }
            }
        }
        return pattern
    }
}
