import Foundation
import ImageAuditShell
import Testing

/// Each shell's own words and status, checked against the real dash, bash and busybox of this machine.
@Suite struct ShellMessageTests {
    // Wordings seen here (dash 0.5.12, bash 5.2.15, busybox 1.35.0), `-c` strings run as /bin/sh.
    @Test(
        "the verified wordings",
        arguments: [
            (ShellDialect.dash, "nothere", "/bin/sh: 1: nothere: not found", 127),
            (.bash, "nothere", "/bin/sh: line 1: nothere: command not found", 127),
            (.busyboxAsh, "nothere", "/bin/sh: nothere: not found", 127),
            (.dash, "exec nothere", "/bin/sh: 1: exec: nothere: not found", 127),
            (.bash, "exec nothere", "/bin/sh: line 1: exec: nothere: not found", 127),
            (.busyboxAsh, "exec nothere", "/bin/sh: exec: line 0: nothere: not found", 127),
            (.dash, "true\nexec /app/x", "/bin/sh: 2: exec: /app/x: not found", 127),
            (.bash, "exec /app/x", "/bin/sh: line 1: /app/x: No such file or directory", 127),
            (.busyboxAsh, "true\nexec /app/x", "/bin/sh: exec: line 1: /app/x: not found", 127),
            (.dash, "/etc/passwd", "/bin/sh: 1: /etc/passwd: Permission denied", 126),
            (.bash, "/etc/passwd", "/bin/sh: line 1: /etc/passwd: Permission denied", 126),
            (.busyboxAsh, "exec /etc/passwd", "/bin/sh: exec: line 0: /etc/passwd: Permission denied", 126),
            (.bash, "/tmp", "/bin/sh: line 1: /tmp: Is a directory", 126),
        ])
    func wordings(dialect: ShellDialect, text: String, message: String, status: Int) {
        let world = FakeWorld(executables: debianBinaries, files: ["/etc/passwd": ""])
        let outcome = ShellEvaluator.debian(dialect, world: world).commandString(text)
        #expect(outcome.messages == [message])
        #expect(outcome.knownStatus == status)
    }

    @Test("bash -c with $0 \"bash\" shows no line number; inside a -c function the name is \"environment\"")
    func bashName() {
        let evaluator = ShellEvaluator.debian(.bash)
        #expect(evaluator.commandString("nothere", name: "bash").messages == ["bash: nothere: command not found"])
        #expect(
            evaluator.commandString("f() {\n  nothere\n}\nf").messages
                == ["environment: line 2: nothere: command not found"])
    }

    @Test("bash's exec of a file it cannot run says it twice, with the full path")
    func bashExecDenied() {
        let world = FakeWorld(executables: debianBinaries, files: ["/app/run": ""])
        let outcome = ShellEvaluator.debian(.bash, world: world).commandString("exec ./run", workingDir: "/app")
        #expect(
            outcome.messages == [
                "/bin/sh: line 1: /app/run: Permission denied",
                "/bin/sh: line 1: exec: /app/run: cannot execute: Permission denied",
            ])
    }

    /// `-c` strings and scripts compared with what the real shells print (stderr lines and status).
    static let cases: [(name: String, script: Bool, text: String, cName: String?, skip: Set<ShellDialect>)] = [
        ("not found", false, "nothere", nil, []),
        ("not found on line 2 with NAME", false, "true\nnothere", "nm", []),
        ("exec not found", false, "exec nothere", nil, []),
        ("exec not found on line 3", false, "x=1\ny=2\nexec nothere", nil, []),
        ("permission denied", false, "./noexec", nil, []),
        ("exec permission denied", false, "exec ./noexec", nil, []),
        ("directory", false, "./d", nil, []),
        ("exec directory", false, "exec ./d", nil, []),
        ("missing path", false, "/no/such", nil, []),
        ("exec missing path with NAME", false, "exec /no/such", "nm", []),
        ("cd to a missing directory", false, "cd /nonexist; echo after", nil, []),
        ("source a missing file", false, ". /no/file; echo after", nil, []),
        ("source a name not on PATH", false, ". nofile; echo after", nil, []),
        ("set -u", false, "set -u; echo $undefinedv; echo after", nil, []),
        ("${x:?word}", false, "echo ${x:?is required}", nil, []),
        ("${x:?}", false, "echo ${x:?}", nil, []),
        ("${x?}", false, "echo ${x?}", nil, []),
        ("shift too far", false, "set -- a b; shift 3; echo after", nil, []),
        ("syntax error at end of file", false, "if true; then echo", nil, []),
        ("syntax error at end of file after a newline", false, "for x in a; do\n  echo\n", nil, []),
        ("unterminated quote", false, "echo 'open", nil, []),
        ("unterminated double quote on line 2", false, "true\necho \"open\nmore", nil, []),
        ("script: syntax error at end of file", true, "if true; then\n  echo\n", nil, []),
        ("syntax error at a token", false, "echo )", nil, [.bash]),
        ("syntax error on line 2 after a command", false, "nothere\nif", nil, []),
        ("syntax error at a token with NAME", false, "true\necho )", "nm", [.bash]),
        ("syntax error at end of file with NAME", false, "true\nif true; then\necho", "nm", []),
        ("script: syntax error at a token", true, "true\necho )\n", nil, [.bash]),
        ("syntax error on the same line", false, "nothere; if", nil, []),
        ("function in -c", false, "f() {\n  true\n  nothere\n}\nf", nil, []),
        ("eval", false, "eval nothere", nil, []),
        ("set -o pipefail", false, "set -o pipefail; echo after", nil, []),
        ("set -Eeuo pipefail", false, "set -Eeuo pipefail; nothere", nil, []),
        ("set -Z", false, "set -Z; echo after", nil, []),
        ("set -o bogus", false, "set -o bogus; nothere", nil, []),
        ("substring and replacement", false, "x=abc; echo \"${x:0:1}\"; nothere", nil, []),
        ("source in each shell", false, "source /no/file; echo after", nil, []),
        ("bash -c with $0 = bash", false, "true\nnothere\necho ${x:?gone}", "bash", []),
        ("set -e", false, "set -e; nothere; echo after", nil, []),
        ("script: not found on line 2", true, "echo hi\nnothere\n", nil, []),
        ("script: exec not found", true, "exec nothere\n", nil, []),
        ("script: permission denied", true, "./noexec\n", nil, []),
        ("script: exec permission denied", true, "exec ./noexec\n", nil, []),
        ("script: function", true, "f() {\n  true\n  nothere\n}\nf\n", nil, []),
    ]

    @Test(
        "the model prints what the real shell prints, with the same status",
        .enabled(if: LiveShell.anyPresent, "needs /bin/dash, /bin/bash or /bin/busybox"), arguments: 0..<cases.count)
    func live(index: Int) throws {
        let scratch = try ScratchDirectory()
        try scratch.write("noexec", "echo no\n")
        try FileManager.default.createDirectory(atPath: scratch.path + "/d", withIntermediateDirectories: true)
        let shells = LiveShell.available(in: scratch.path)
        let testCase = Self.cases[index]
        let environment = ["PATH": "/usr/bin:/bin"]
        for shell in shells where !testCase.skip.contains(shell.dialect) {
            let arguments: [String]
            let invocation: ShellEvaluator.Invocation
            if testCase.script {
                try scratch.write("s.sh", testCase.text)
                arguments = ["s.sh"]
                invocation = .scriptFile(path: "s.sh")
            } else {
                arguments = ["-c", testCase.text] + (testCase.cName.map { [$0] } ?? [])
                invocation = .commandString(shellArgv0: shell.path, name: testCase.cName)
            }
            let real = try shell.run(arguments, in: scratch.path, environment: environment)
            let model = shell.evaluator(world: .host).run(
                text: testCase.text, invocation: invocation, arguments: [], environment: environment,
                workingDir: scratch.path)
            #expect(model.messages == real.stderrLines, "\(shell.path) \(testCase.name)")
            if let status = model.knownStatus {
                #expect(status == Int(real.status), "\(shell.path) \(testCase.name): status")
            }
        }
    }
}
