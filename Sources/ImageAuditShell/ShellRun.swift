/// One evaluation: the steps and endings recorded so far, and the control-flow walk.
final class ShellRun {
    enum Flow: Equatable {
        case normal
        /// The shell (or the current subshell) ended; its ending is recorded.
        case ended
        case breakLoop(Int)
        case continueLoop(Int)
        case returned
    }

    let evaluator: ShellEvaluator
    let invocation: ShellEvaluator.Invocation
    var steps: [ShellStep] = []
    var endings: [ShellEnding] = []
    /// > 0 inside an `if`/`while` condition or the left of `&&`/`||`: `set -e` does not apply there.
    var conditionDepth = 0
    /// The line of the command being run, for messages.
    var currentLine = 1
    /// Bounds on the work of one run (nested evaluation, and simple commands evaluated in all).
    var depth = 0
    var budget = 20_000
    var dialect: ShellDialect { evaluator.dialect }
    /// bash outside POSIX mode (its own rules for special builtins and `.`).
    var isBashNative: Bool { dialect == .bash && !evaluator.bashPOSIXMode }

    init(evaluator: ShellEvaluator, invocation: ShellEvaluator.Invocation) {
        self.evaluator = evaluator
        self.invocation = invocation
    }

    var isCommandString: Bool {
        if case .commandString = invocation { return true }
        return false
    }

    var dollarZero: String {
        switch invocation {
        case .commandString(let argv0, let name): name ?? argv0
        case .scriptFile(let path): path
        }
    }

    /// Records how the shell ends, unless this path is inside a subshell.
    func end(_ kind: ShellEnding.Kind, _ state: ShellState, step: Int? = nil) -> Flow {
        if state.subshellDepth == 0 {
            var last = step
            if last == nil, case .exit = kind { last = state.lastStep }
            endings.append(ShellEnding(kind: kind, certainty: state.reach, step: last))
        }
        return .ended
    }

    func finish(_ flow: Flow, _ state: ShellState) {
        if flow != .ended {
            _ = end(.exit(status: state.lastStatus), state)
        }
    }

    @discardableResult
    func record(_ step: ShellStep) -> Int {
        steps.append(step)
        return steps.count - 1
    }

    /// A step that cannot be judged; what follows it is at best conditional.
    func notJudged(_ reason: String, _ command: SimpleCommand, _ state: inout ShellState) {
        record(
            ShellStep(
                kind: .command, argv: [], unknownArguments: nil, resolution: nil, workingDir: state.workingDir,
                environment: state.exportedEnvironment, certainty: .notJudged(reason), line: command.line,
                source: command.source, failure: nil, exitsOnFailure: false, inSubshell: state.subshellDepth > 0))
        state.lastStatus = nil
        state.lastStep = nil
        state = state.weakened("after `\(command.source)`, which is not judged")
    }

    static let tooMuch = "the script nests or runs too much to follow (more than 20000 commands)"

    func evaluate(_ node: ShellNode, _ state: inout ShellState) -> Flow {
        depth += 1
        defer { depth -= 1 }
        guard depth < 400, budget > 0 else {
            budget = 0
            if state.subshellDepth > 0 || endings.contains(where: { $0.kind == .notJudged(Self.tooMuch) }) {
                return .ended
            }
            return end(.notJudged(Self.tooMuch), state)
        }
        switch node {
        case .simple(let command):
            return runSimple(command, &state)
        case .sequence(let nodes):
            for child in nodes {
                let flow = evaluate(child, &state)
                if flow != .normal { return flow }
            }
            return .normal
        case .and(let left, let right), .or(let left, let right):
            var isAnd = false
            if case .and = node { isAnd = true }
            return evaluateAndOr(left, right, isAnd: isAnd, &state)
        case .pipeline(let commands, let negated):
            return evaluatePipeline(commands, negated: negated, &state)
        case .background(let child):
            var copy = state
            copy.subshellDepth += 1
            _ = evaluate(child, &copy)
            state.lastStatus = 0
            state.lastStep = nil
            return .normal
        case .group(let body, _):
            return evaluate(body, &state)
        case .subshell(let body, _):
            var copy = state
            copy.subshellDepth += 1
            let flow = evaluate(body, &copy)
            state.lastStatus = copy.lastStatus
            state.lastStep = copy.lastStep
            if flow == .ended && copy.reach != state.reach { state = ShellState.merge(state, copy, reason: "") }
            return checkErrexit(&state)
        case .ifClause(let branches, let otherwise, _):
            return evaluateIf(branches[...], otherwise: otherwise, &state)
        case .loop(let condition, let body, let until, _):
            return evaluateWhile(condition: condition, body: body, until: until, &state)
        case .forLoop(let name, let words, let body, _):
            return evaluateFor(name: name, words: words, body: body, &state)
        case .caseClause(let subject, let items, _):
            return evaluateCase(subject, items, &state)
        case .function(let name, let body, _):
            state.functions[name] = body
            state.lastStatus = 0
            return .normal
        }
    }

    /// Evaluates a condition: `set -e` is off inside it.
    func evaluateCondition(_ node: ShellNode, _ state: inout ShellState) -> Flow {
        conditionDepth += 1
        defer { conditionDepth -= 1 }
        return evaluate(node, &state)
    }

    /// Under `set -e`, a known failure outside a condition ends the shell with that status.
    func checkErrexit(_ state: inout ShellState) -> Flow {
        guard state.errexit, conditionDepth == 0, let status = state.lastStatus, status != 0 else { return .normal }
        return end(.exit(status: status), state)
    }

    private func evaluateAndOr(_ left: ShellNode, _ right: ShellNode, isAnd: Bool, _ state: inout ShellState)
        -> Flow
    {
        let flow = evaluateCondition(left, &state)
        guard flow == .normal else { return flow }
        let runsRight: Bool
        switch state.lastStatus {
        case .some(let status): runsRight = isAnd ? status == 0 : status != 0
        case nil:
            let reason = "reached only if `\(Self.describe(left))` \(isAnd ? "succeeds" : "fails")"
            return alternatives(&state, [(reason, { [self] in evaluate(right, &$0) }), ("", { _ in .normal })])
        }
        return runsRight ? evaluate(right, &state) : .normal
    }

    private func evaluatePipeline(_ commands: [ShellNode], negated: Bool, _ state: inout ShellState) -> Flow {
        var status: Int?
        var lastStep: Int?
        if commands.count == 1 {
            let flow = negated ? evaluateCondition(commands[0], &state) : evaluate(commands[0], &state)
            guard flow == .normal else { return flow }
            status = state.lastStatus
            lastStep = state.lastStep
        } else {
            // Every element runs in a subshell (dash, busybox; bash without `lastpipe`).
            for command in commands {
                var copy = state
                copy.subshellDepth += 1
                _ = negated ? evaluateCondition(command, &copy) : evaluate(command, &copy)
                status = copy.lastStatus
                lastStep = copy.lastStep
            }
        }
        state.lastStep = lastStep
        state.lastStatus = negated ? status.map { $0 == 0 ? 1 : 0 } : status
        return negated ? .normal : checkErrexit(&state)
    }

    /// Runs each path on a copy (reached only for its reason) and merges what they leave.
    func alternatives(_ state: inout ShellState, _ paths: [(String, (inout ShellState) -> Flow)]) -> Flow {
        var finished: [ShellState] = []
        var otherFlows: [Flow] = []
        var anyEnded = false
        for (reason, path) in paths {
            var copy = reason.isEmpty ? state : state.weakened(reason)
            let flow = path(&copy)
            switch flow {
            case .normal: finished.append(copy)
            case .ended: anyEnded = true
            default: otherFlows.append(flow)
            }
        }
        guard var merged = finished.first else {
            if let flow = otherFlows.first { return flow }
            return .ended
        }
        for other in finished.dropFirst() { merged = ShellState.merge(merged, other, reason: "on different paths") }
        if !anyEnded && otherFlows.isEmpty {
            merged.reach = state.reach
        } else if case .definite = merged.reach {
            merged.reach = .conditional("reached only if an earlier branch did not end the shell")
        }
        state = merged
        return .normal
    }

    static func describe(_ node: ShellNode) -> String {
        switch node {
        case .simple(let command): command.source
        case .pipeline(let commands, let negated):
            (negated ? "! " : "") + commands.map(describe).joined(separator: " | ")
        case .and(let a, let b): describe(a) + " && " + describe(b)
        case .or(let a, let b): describe(a) + " || " + describe(b)
        default: "the command before"
        }
    }
}
