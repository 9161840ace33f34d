/// A value the model may or may not know.
enum Known: Equatable {
    case value(String)
    case unknown(String)
}

/// The shell's variables, positional parameters and options at one point of a run.
struct ShellState {
    struct Variable: Equatable {
        var value: Known
        var exported: Bool
    }

    var variables: [String: Variable] = [:]
    /// nil when not known statically (then `positionalReason` says why).
    var positional: [String]?
    var positionalReason = ""
    var name = "sh"
    var workingDir: String?
    var errexit = false
    var nounset = false
    var functions: [String: ShellNode] = [:]
    /// `$?`; nil when it is the status of a command the model does not run.
    var lastStatus: Int? = 0
    /// How sure we are that the current point is reached.
    var reach: ShellCertainty = .definite
    /// > 0 inside `( … )`, a pipeline element or `&`: exec and exit end the subshell only.
    var subshellDepth = 0
    /// > 0 while running a function body (bash names `-c` functions "environment" in messages).
    var functionDepth = 0
    var sourceDepth = 0
    /// > 0 while running the text of `eval` (dash and busybox then say `eval: ` in messages).
    var evalDepth = 0
    /// The step whose status is `$?` (nil when `$?` came from a builtin or is unknown).
    var lastStep: Int?

    init(environment: [String: String], arguments: [String], workingDir: String?) {
        for (name, value) in environment { variables[name] = Variable(value: .value(value), exported: true) }
        positional = arguments
        self.workingDir = workingDir
    }

    func value(of name: String) -> Known? {
        variables[name]?.value
    }

    mutating func assign(_ name: String, _ value: Known, export: Bool = false) {
        let exported = export || (variables[name]?.exported ?? false)
        variables[name] = Variable(value: value, exported: exported)
    }

    /// The exported variables with known values: the environment an external command receives.
    var exportedEnvironment: [String: String] {
        var result: [String: String] = [:]
        for (name, variable) in variables where variable.exported {
            if case .value(let value) = variable.value { result[name] = value }
        }
        return result
    }

    /// A state that is reached only in some cases.
    func weakened(_ reason: String) -> ShellState {
        var copy = self
        if case .definite = reach { copy.reach = .conditional(reason) }
        return copy
    }

    /// The state after one of two paths ran, not knowing which: what differs becomes unknown.
    static func merge(_ a: ShellState, _ b: ShellState, reason: String) -> ShellState {
        var result = a
        for name in Set(a.variables.keys).union(b.variables.keys) where a.variables[name] != b.variables[name] {
            let exported = (a.variables[name]?.exported ?? false) || (b.variables[name]?.exported ?? false)
            result.variables[name] = Variable(value: .unknown("set differently \(reason)"), exported: exported)
        }
        if a.positional != b.positional {
            result.positional = nil
            result.positionalReason = "the positional parameters are set differently \(reason)"
        }
        if a.workingDir != b.workingDir { result.workingDir = nil }
        if a.lastStatus != b.lastStatus { result.lastStatus = nil }
        if a.lastStep != b.lastStep { result.lastStep = nil }
        result.errexit = a.errexit && b.errexit
        result.nounset = a.nounset && b.nounset
        result.functions.merge(b.functions) { first, _ in first }
        result.reach = Self.weaker(a.reach, b.reach)
        return result
    }

    static func weaker(_ a: ShellCertainty, _ b: ShellCertainty) -> ShellCertainty {
        switch (a, b) {
        case (.notJudged, _): a
        case (_, .notJudged): b
        case (.conditional, _): a
        default: b
        }
    }
}
