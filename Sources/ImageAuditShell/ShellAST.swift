/// The syntax tree of a POSIX shell program (XCU 2.9 "Shell Commands").
///
/// Nodes keep the line they start on and, for simple commands, their source text, so reports can
/// quote the command (`exec "$@"`) and say where it is, as the shell itself does.
public indirect enum ShellNode: Sendable, Equatable {
    case simple(SimpleCommand)
    /// `a | b | c`, `! a`.
    case pipeline([ShellNode], negated: Bool)
    case and(ShellNode, ShellNode)
    case or(ShellNode, ShellNode)
    /// Commands run one after the other (`;` or newline).
    case sequence([ShellNode])
    /// `cmd &`: runs asynchronously in a subshell; status 0.
    case background(ShellNode)
    case group(ShellNode, redirections: [Redirection])
    case subshell(ShellNode, redirections: [Redirection])
    case ifClause([ConditionalBranch], otherwise: ShellNode?, redirections: [Redirection])
    /// `while` (or `until` when `until` is true).
    case loop(condition: ShellNode, body: ShellNode, until: Bool, redirections: [Redirection])
    /// `for name [in words]; do body; done`; `words` nil means `"$@"`.
    case forLoop(name: String, words: [ShellWord]?, body: ShellNode, redirections: [Redirection])
    case caseClause(ShellWord, [CaseItem], redirections: [Redirection])
    case function(name: String, body: ShellNode, line: Int)
}

/// One `if`/`elif` condition and the commands it guards.
public struct ConditionalBranch: Sendable, Equatable {
    public var condition: ShellNode
    public var body: ShellNode
}

/// One `pattern|pattern) commands ;;` item of a `case`.
public struct CaseItem: Sendable, Equatable {
    public var patterns: [ShellWord]
    public var body: ShellNode?
}

/// `NAME=value ... word word ... redirections` (XCU 2.9.1).
public struct SimpleCommand: Sendable, Equatable {
    public var assignments: [Assignment]
    public var words: [ShellWord]
    public var redirections: [Redirection]
    /// 1-based line of the first token.
    public var line: Int
    /// The command as written, for messages.
    public var source: String
}

/// `NAME=value` before a command word (or alone).
public struct Assignment: Sendable, Equatable {
    public var name: String
    public var value: ShellWord
}

/// `[n]OP word` (XCU 2.7). Parsed and kept; the evaluator does not follow them.
public struct Redirection: Sendable, Equatable {
    public enum Operator: String, Sendable, Equatable {
        case input = "<"
        case output = ">"
        case append = ">>"
        case clobber = ">|"
        case readWrite = "<>"
        case duplicateInput = "<&"
        case duplicateOutput = ">&"
        case hereDoc = "<<"
        case hereDocStrippingTabs = "<<-"
    }
    /// The explicit descriptor (`2>`), nil for the operator's default.
    public var descriptor: Int?
    public var op: Operator
    /// The file name, descriptor word, or here-document delimiter.
    public var target: ShellWord
    /// The here-document body (nil for other operators); expanded unless the delimiter was quoted.
    public var hereDocument: String?
}

/// A word before expansion: a sequence of literal, quoted and expansion parts.
public struct ShellWord: Sendable, Equatable {
    public var parts: [WordPart]

    public init(_ parts: [WordPart]) { self.parts = parts }

    /// The text when the word is a single unquoted literal (reserved words, names), else nil.
    public var plainLiteral: String? {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        return nil
    }

    /// True when some part is quoted or escaped (here-doc delimiters, `case` patterns).
    public var hasQuoting: Bool {
        parts.contains { part in
            switch part {
            case .singleQuoted, .doubleQuoted, .escaped: true
            default: false
            }
        }
    }
}

/// One piece of a word, as the lexer found it.
public indirect enum WordPart: Sendable, Equatable {
    /// Unquoted text: subject to field splitting only when it came from an expansion, and to globbing.
    case literal(String)
    case singleQuoted(String)
    case doubleQuoted([WordPart])
    /// A backslash-escaped character (quoted).
    case escaped(Character)
    case parameter(ParameterExpansion)
    /// `$(…)` or `` `…` ``: the parsed program and its text.
    case commandSubstitution(ShellNode?, source: String)
    /// `$((…))`: the expression text.
    case arithmetic(String)
}

/// `$name`, `${name}`, `${name:-word}`, `${#name}` … (XCU 2.6.2).
public struct ParameterExpansion: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        case plain, length
        /// `-`, `=`, `?`, `+` with or without the colon (the colon also tests for empty).
        case useDefault(colon: Bool)
        case assignDefault(colon: Bool)
        case errorIfUnset(colon: Bool)
        case useAlternative(colon: Bool)
        case removeSmallestPrefix, removeLargestPrefix, removeSmallestSuffix, removeLargestSuffix
        /// bash's `${x:offset[:length]}` (the word holds `offset:length`).
        case substring
        /// bash's `${x/a/b}`, `${x^^}` …: parsed, never judged.
        case unsupported
    }
    /// A name, a positional number, or one of `@ * # ? $ ! - 0`.
    public var name: String
    public var operation: Operation
    public var word: ShellWord?

    public init(name: String, operation: Operation, word: ShellWord? = nil) {
        self.name = name
        self.operation = operation
        self.word = word
    }
}
