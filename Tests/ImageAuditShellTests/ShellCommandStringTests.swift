import ImageAuditShell
import Testing

/// `sh -c STRING`: what Docker runs for a shell-form CMD, and what people write in exec form.
@Suite struct ShellCommandStringTests {
    @Test("CMD python3 app.py: one definite command, the shell exits with its status")
    func shellForm() throws {
        let outcome = ShellEvaluator.debian().commandString("python3 app.py", workingDir: "/app")
        #expect(outcome.argvs == [["python3", "app.py"]])
        let step = try #require(outcome.steps.first)
        #expect(step.resolution == .found("/usr/bin/python3"))
        #expect(step.workingDir == "/app")
        #expect(outcome.onlyEnding == ShellEnding(kind: .exit(status: nil), certainty: .definite, step: 0))
    }

    @Test("cd /app && exec ./server --port $PORT: cd is followed and $PORT expanded")
    func cdAndExec() throws {
        let world = FakeWorld(executables: debianBinaries + ["/app/server"])
        let outcome = ShellEvaluator.debian(world: world).commandString(
            "cd /app && exec ./server --port $PORT", environment: ["PORT": "8080"])
        let final = try #require(outcome.finalExec)
        #expect(final.argv == ["./server", "--port", "8080"])
        #expect(final.workingDir == "/app")
        #expect(final.resolution == .found("/app/server"))
    }

    @Test("cd to a missing directory: the && stops, with dash's words")
    func cdMissing() {
        let outcome = ShellEvaluator.debian().commandString("cd /nope && exec server")
        #expect(outcome.steps.map(\.argv) == [["cd", "/nope"]])
        #expect(outcome.steps[0].failure?.messages == ["/bin/sh: 1: cd: can't cd to /nope"])
        #expect(outcome.onlyEnding?.kind == .exit(status: 2))
    }

    @Test("a command reached only through || or after an unknown test is conditional")
    func conditional() {
        let outcome = ShellEvaluator.debian().commandString("server || python3 fallback.py; echo done")
        #expect(outcome.steps.count == 2)
        #expect(outcome.steps[0].certainty == .definite)
        #expect(outcome.steps[1].certainty == .conditional("reached only if `server` fails"))
    }

    @Test("field splitting of an unquoted variable, quote removal, defaults, $0 and $1 from -c NAME ARG")
    func expansions() {
        let outcome = ShellEvaluator.debian().commandString(
            #"exec server $OPTS "${MODE:-prod}" '$HOME' \"x\" "$0" "$1" ${#1}"#, name: "entry", arguments: ["abc"],
            environment: ["OPTS": " -a  -b "])
        #expect(outcome.finalExec?.argv == ["server", "-a", "-b", "prod", "$HOME", "\"x\"", "entry", "abc", "3"])
    }

    @Test("nothing to run: a comment only, or only assignments")
    func empty() {
        #expect(ShellEvaluator.debian().commandString("# nothing").onlyEnding?.kind == .exit(status: 0))
        #expect(ShellEvaluator.debian().commandString("A=1 B=2").onlyEnding?.kind == .exit(status: 0))
    }

    @Test("a syntax error ends the run before anything, status 2, with the shell's line")
    func syntaxError() {
        let dash = ShellEvaluator.debian().commandString("if true; then echo")
        #expect(
            dash.onlyEnding?.kind
                == .failure(
                    ShellFailure(
                        messages: [#"/bin/sh: 1: Syntax error: end of file unexpected (expecting "fi")"#], status: 2)))
        let busybox = ShellEvaluator.debian(.busyboxAsh).commandString("echo )")
        #expect(busybox.failureMessages == [#"/bin/sh: syntax error: unexpected ")""#])
    }

    @Test("the lines before a syntax error run first: an exec there wins")
    func linesBeforeSyntaxError() {
        let evaluator = ShellEvaluator.debian()
        #expect(evaluator.commandString("exec server\nif").finalExec?.argv == ["server"])
        let sameLine = evaluator.commandString("exec server; if")
        #expect(sameLine.steps.isEmpty)
        #expect(sameLine.knownStatus == 2)
    }

    @Test("the shell's own options: sh -e -c, #!/bin/sh -eu")
    func options() {
        let evaluator = ShellEvaluator.debian()
        let text = "false\nexec server"
        let plain = evaluator.run(
            text: text, invocation: .commandString(shellArgv0: "sh", name: nil),
            arguments: [], environment: ["PATH": debianPath], workingDir: "/")
        #expect(plain.finalExec?.argv == ["server"])
        let errexit = evaluator.run(
            text: text, invocation: .commandString(shellArgv0: "sh", name: nil),
            arguments: [], environment: ["PATH": debianPath], workingDir: "/", options: ["-e"])
        #expect(errexit.onlyEnding?.kind == .exit(status: 1))
    }

    @Test("bash syntax the POSIX parser refuses is not judged under bash, a syntax error under dash")
    func bashOnlySyntax() {
        let text = "arr=(a b)\nexec server"
        let bash = ShellEvaluator.debian(.bash).commandString(text)
        if case .notJudged(let reason) = bash.onlyEnding?.kind {
            #expect(reason.hasPrefix("bash syntax the model does not parse"))
        } else {
            Issue.record("bash: \(bash.endings)")
        }
        #expect(ShellEvaluator.debian().commandString(text).messages == [#"/bin/sh: 1: Syntax error: "(" unexpected"#])
    }

    @Test("busybox standalone applets run without a PATH search")
    func busyboxApplets() {
        let evaluator = ShellEvaluator(
            dialect: .busyboxAsh, world: FakeWorld().world, standaloneApplets: ["ls", "wget"])
        let outcome = evaluator.commandString("ls / && exec wget -q http://x")
        #expect(outcome.steps.map(\.kind) == [.applet, .exec])
        #expect(outcome.steps.allSatisfy { $0.failure == nil })
    }
}
