import ImageAuditShell
import Testing

@Suite struct ShellPathSearchTests {
    @Test("a name with a slash is not searched; PATH entries in order; an empty entry is the working directory")
    func candidates() {
        #expect(ShellPathSearch.candidates(for: "./run", path: "/bin", workingDir: "/app") == ["/app/run"])
        #expect(ShellPathSearch.candidates(for: "bin/x", path: "/bin", workingDir: "/srv") == ["/srv/bin/x"])
        #expect(
            ShellPathSearch.candidates(for: "x", path: "/a::/b:", workingDir: "/w")
                == ["/a/x", "/w/x", "/b/x", "/w/x"])
        #expect(ShellPathSearch.absolute("../lib/./x", workingDir: "/usr/bin") == "/usr/lib/x")
    }

    @Test("PATH unset: each shell's own default path")
    func defaultPath() {
        let seen = LockedList()
        let world = ShellWorld(resolveCommand: { _, path, _ in
            seen.append(path)
            return .notFound
        })
        for dialect in ShellDialect.allCases {
            _ = ShellEvaluator(dialect: dialect, world: world).run(
                text: "x", invocation: .commandString(shellArgv0: "sh", name: nil), arguments: [], environment: [:],
                workingDir: "/")
        }
        #expect(seen.items == ShellDialect.allCases.map(\.defaultPath))
    }

    @Test("command -v answers from functions, builtins and the PATH, and $(command -v X) is known")
    func commandV() {
        let evaluator = ShellEvaluator.debian()
        #expect(evaluator.commandString("command -v nothere || exec server").finalExec?.argv == ["server"])
        #expect(evaluator.commandString("command -v python3 && exec server").finalExec?.argv == ["server"])
        #expect(
            evaluator.commandString(#"exec "$(command -v python3)" app.py"#).finalExec?.argv
                == ["/usr/bin/python3", "app.py"])
    }
}
