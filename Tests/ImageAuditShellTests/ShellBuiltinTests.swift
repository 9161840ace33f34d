import Foundation
import ImageAuditShell
import Testing

/// Which names each shell runs itself, against `type NAME` of the real shells.
@Suite struct ShellBuiltinTests {
    static let names = [
        "echo", "printf", "test", "[", "kill", "type", "local", "source", "let", "chdir", "pwd", "true", "false",
        "command", "getopts", "read", "alias", "ulimit", "umask", "hash", "times", "trap", "wait", "ls", "cat",
        "declare", "typeset", "enable", "help", "history", "mapfile", "shopt", "fc", "jobs", "exec", "eval", "set",
        "shift", "export", "readonly", "unset", "return", "break", "continue", "exit", ".", ":", "[[", "env", "id",
    ]

    @Test(
        "the builtin lists match `type` of the real shells",
        .enabled(if: LiveShell.anyPresent, "needs /bin/dash, /bin/bash or /bin/busybox"))
    func builtins() throws {
        let scratch = try ScratchDirectory()
        for shell in LiveShell.available(in: scratch.path) {
            let known = shell.dialect.builtins.union(ShellDialect.specialBuiltins)
            for name in Self.names {
                let real = try shell.run(
                    ["-c", "type '\(name)'"], in: scratch.path, environment: ["PATH": "/usr/bin:/bin"])
                let text = real.stdout + real.stderr
                let isBuiltin = text.contains("builtin") || text.contains("keyword")
                #expect(isBuiltin == known.contains(name), "\(shell.dialect) \(name): \(text)")
            }
        }
    }
}
