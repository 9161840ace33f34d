/// The shells whose behaviour the model knows. They differ in builtins, messages and line numbers.
public enum ShellDialect: String, Sendable, Equatable, CaseIterable {
    /// Debian's /bin/sh (dash 0.5.12).
    case dash
    /// GNU bash 5.2, also when run as `sh` (messages keep bash's wording).
    case bash
    /// BusyBox ash (1.35), /bin/sh in Alpine and busybox images.
    case busyboxAsh

    /// Names the shell runs itself, without a PATH search (`type NAME` says "shell builtin"; bash's
    /// `[[` is a keyword, treated here as a builtin whose status is not known).
    public var builtins: Set<String> {
        switch self {
        case .dash: Self.posixBuiltins.union(["chdir", "local", "printf", "echo", "test", "[", "kill", "type"])
        case .bash: Self.posixBuiltins.union(Self.bashOnly)
        case .busyboxAsh:
            Self.posixBuiltins.union([
                "local", "printf", "echo", "test", "[", "[[", "kill", "type",
                "source", "let", "chdir", "help", "history",
            ])
        }
    }

    /// Special builtins (XCU 2.14): an error in one exits a non-interactive POSIX shell.
    public static let specialBuiltins: Set<String> = [
        ".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set", "shift",
        "times", "trap", "unset",
    ]

    static let posixBuiltins: Set<String> = specialBuiltins.union([
        "alias", "bg", "cd", "command", "false", "fg", "getopts", "hash", "jobs", "pwd", "read", "true", "ulimit",
        "umask", "unalias", "wait",
    ])

    static let bashOnly: Set<String> = [
        "[", "[[", "test", "echo", "printf", "kill", "type", "local", "source", "declare", "typeset", "let", "enable",
        "help", "history", "logout", "mapfile", "readarray", "caller", "compgen", "complete", "compopt", "dirs",
        "popd", "pushd", "disown", "shopt", "suspend", "bind", "builtin", "fc", "times",
    ]
}
