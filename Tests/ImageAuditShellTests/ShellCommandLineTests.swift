import Foundation
import ImageAuditShell
import Testing

@Suite struct ShellCommandLineTests {
    @Test(
        "options anywhere before the first operand; -c's operands are STRING, $0, $1…",
        arguments: [
            (["-ec", "x", "n", "a", "b"], ["-e"], "x", "n", ["a", "b"]),
            (["-e", "-c", "x", "n", "a"], ["-e"], "x", "n", ["a"]),
            (["-c", "-e", "x", "n", "a"], ["-e"], "x", "n", ["a"]),
            (["-o", "errexit", "-c", "x"], ["-o", "errexit"], "x", nil, []),
            (["-c", "--", "x", "n"], [], "x", "n", []),
            (["-c", "x"], [], "x", nil, []),
        ] as [([String], [String], String, String?, [String])])
    func commandString(argv: [String], options: [String], text: String, name: String?, arguments: [String]) throws {
        let line = try #require(ShellCommandLine.parse(argv))
        #expect(line.options == options)
        #expect(line.commandString == text)
        #expect(line.name == name)
        #expect(line.arguments == arguments)
        #expect(line.invocation(shellArgv0: "/bin/sh") == .commandString(shellArgv0: "/bin/sh", name: name))
    }

    @Test("a script file with arguments; bash's --posix; standard input is not followed")
    func scriptAndStdin() throws {
        let script = try #require(ShellCommandLine.parse(["-eu", "/entry.sh", "server", "-v"]))
        #expect(script.scriptPath == "/entry.sh")
        #expect(script.arguments == ["server", "-v"])
        #expect(script.options == ["-eu"])
        #expect(ShellCommandLine.parse(["--posix", "/e.sh"])?.posix == true)
        #expect(ShellCommandLine.parse([])?.readsStandardInput == true)
        #expect(ShellCommandLine.parse(["-s", "a"])?.invocation(shellArgv0: "sh") == nil)
        #expect(ShellCommandLine.parse(["-c"]) == nil)
    }

    @Test("docker's exec form: sh -c 'exec \"$0\" \"$@\"' server --flag")
    func dollarZeroProgram() throws {
        let line = try #require(ShellCommandLine.parse(["-c", #"exec "$0" "$@""#, "server", "--flag"]))
        let outcome = ShellEvaluator.debian().run(
            text: try #require(line.commandString), invocation: try #require(line.invocation(shellArgv0: "sh")),
            arguments: line.arguments, environment: ["PATH": debianPath], workingDir: "/", options: line.options)
        #expect(outcome.finalExec?.argv == ["server", "--flag"])
    }

    @Test("the real shells read their argv the same way", .enabled(if: LiveShell.anyPresent, "needs a shell"))
    func live() throws {
        let scratch = try ScratchDirectory()
        let probe = #"echo "$0|$*|$#"; case $- in *e*) echo e;; *) echo -;; esac"#
        let forms: [[String]] = [
            ["-ec", probe, "n", "a", "b"], ["-e", "-c", probe, "n", "a"],
            ["-c", "-e", probe, "n", "a"], ["-o", "errexit", "-c", probe], ["-c", "--", probe, "n"],
        ]
        for shell in LiveShell.available(in: scratch.path) {
            for argv in forms {
                let line = try #require(ShellCommandLine.parse(argv))
                let real = try shell.run(argv, in: scratch.path, environment: [:])
                let name = line.name ?? shell.path
                let errexit =
                    line.options.contains { $0.hasPrefix("-") && $0.contains("e") }
                    || line.options == ["-o", "errexit"]
                let expected =
                    "\(name)|\(line.arguments.joined(separator: " "))|\(line.arguments.count)\n"
                    + (errexit ? "e" : "-") + "\n"
                #expect(real.stdout == expected, "\(shell.path) \(argv)")
            }
        }
    }
}
