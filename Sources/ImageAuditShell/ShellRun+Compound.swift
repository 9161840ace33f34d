extension ShellRun {
    func evaluateIf(_ branches: ArraySlice<ConditionalBranch>, otherwise: ShellNode?, _ state: inout ShellState)
        -> Flow
    {
        guard let branch = branches.first else {
            guard let otherwise else {
                state.lastStatus = 0
                state.lastStep = nil
                return .normal
            }
            return evaluate(otherwise, &state)
        }
        let flow = evaluateCondition(branch.condition, &state)
        guard flow == .normal else { return flow }
        switch state.lastStatus {
        case 0: return evaluate(branch.body, &state)
        case .some: return evaluateIf(branches.dropFirst(), otherwise: otherwise, &state)
        case nil:
            let test = Self.describe(branch.condition)
            return alternatives(
                &state,
                [
                    ("in the `then` branch of `if \(test)`", { [self] in evaluate(branch.body, &$0) }),
                    (
                        "when `\(test)` fails",
                        { [self] in
                            evaluateIf(branches.dropFirst(), otherwise: otherwise, &$0)
                        }
                    ),
                ])
        }
    }

    func evaluateWhile(condition: ShellNode, body: ShellNode, until: Bool, _ state: inout ShellState) -> Flow {
        let keyword = until ? "until" : "while"
        for _ in 0..<evaluator.iterationLimit {
            let flow = evaluateCondition(condition, &state)
            guard flow == .normal else { return flow }
            guard let status = state.lastStatus else {
                // Unknown count: the body may run (any number of times) or not; follow it once.
                let reason = "inside a `\(keyword)` loop whose count is unknown"
                return alternatives(&state, [(reason, { [self] in loopBody(body, &$0) }), ("", { _ in .normal })])
            }
            if (status == 0) == until {
                state.lastStatus = 0
                return .normal
            }
            switch loopBody(body, &state) {
            case .normal: continue
            case .breakLoop: return .normal
            case let other: return other
            }
        }
        return end(.notJudged("a `\(keyword)` loop runs more than \(evaluator.iterationLimit) times"), state)
    }

    /// One iteration; `break`/`continue` of this loop become `.breakLoop`/`.normal`.
    private func loopBody(_ body: ShellNode, _ state: inout ShellState) -> Flow {
        switch evaluate(body, &state) {
        case .breakLoop(let n) where n > 1: return .breakLoop(n - 1)
        case .breakLoop: return .breakLoop(1)
        case .continueLoop(let n) where n > 1: return .continueLoop(n - 1)
        case .continueLoop: return .normal
        case let other: return other
        }
    }

    func evaluateFor(name: String, words: [ShellWord]?, body: ShellNode, _ state: inout ShellState) -> Flow {
        var values: [String]?
        if let words {
            var fields: [String] = []
            var known = true
            for word in words {
                switch expand(word, &state) {
                case .fields(let more): fields += more
                case .unknown: known = false
                case .failed(let failure): return end(.failure(failure), state)
                }
            }
            values = known ? fields : nil
        } else {
            values = state.positional
        }
        guard let values, values.count <= evaluator.iterationLimit else {
            state.assign(name, .unknown("a `for` loop variable"))
            let reason = "inside a `for \(name)` loop whose list is not known"
            return alternatives(&state, [(reason, { [self] in loopBody(body, &$0) }), ("", { _ in .normal })])
        }
        state.lastStatus = 0
        for value in values {
            state.assign(name, .value(value))
            switch loopBody(body, &state) {
            case .normal: continue
            case .breakLoop(let n) where n > 1: return .breakLoop(n - 1)
            case .breakLoop: return .normal
            case let other: return other
            }
        }
        return .normal
    }

    func evaluateCase(_ subject: ShellWord, _ items: [CaseItem], _ state: inout ShellState) -> Flow {
        let value: String?
        switch expandWord(subject, &state) {
        case .fields(let fields): value = fields.first
        case .unknown: value = nil
        case .failed(let failure): return end(.failure(failure), state)
        }
        var paths: [(String, (inout ShellState) -> Flow)] = []
        for item in items {
            for pattern in item.patterns {
                let matched: Bool?
                if let text = value, let compiled = compilePattern(pattern, &state) {
                    matched = compiled.matches(text)
                } else {
                    matched = nil
                }
                let run: (inout ShellState) -> Flow = { [self] in
                    guard let body = item.body else {
                        $0.lastStatus = 0
                        return .normal
                    }
                    return evaluate(body, &$0)
                }
                if matched == true {
                    if paths.isEmpty { return run(&state) }
                    paths.append(("in the `case` item `\(ShellParser.quoteRemoved(pattern))`", run))
                    return alternatives(&state, paths)
                }
                if matched == nil { paths.append(("in the `case` item `\(ShellParser.quoteRemoved(pattern))`", run)) }
            }
        }
        state.lastStatus = 0
        if paths.isEmpty { return .normal }
        paths.append(("", { _ in .normal }))
        return alternatives(&state, paths)
    }
}
