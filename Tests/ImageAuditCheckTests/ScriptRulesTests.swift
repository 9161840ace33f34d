import ImageAuditCheck
import ImageAuditFS
import Testing

/// `#!` scripts (exec-and-loader-rules.md §2). "[verified]": `scripts/verify-exec-rules.sh`.
@Suite struct ScriptRulesTests {
    private func start(_ entries: [LayerEntry], _ argv: [String], env: [String]? = nil) -> AuditResult {
        audit(Fixture.image(Fixture.busybox + entries, entrypoint: argv, env: env))
    }

    @Test("a script whose interpreter exists starts")
    func scriptRuns() {
        #expect(start([Fixture.file("app/run.sh", "#!/bin/sh\necho hi\n")], ["/app/run.sh"]).verdict == .pass)
    }

    @Test("neither ELF nor #!: exec format error [verified: ENOEXEC]")
    func noShebang() throws {
        let finding = try #require(start([Fixture.file("app/run.sh", "echo hi\n")], ["/app/run.sh"]).findings.first)
        #expect(finding.code == .execFormatError)
        #expect(finding.message == "exec /app/run.sh: exec format error")
    }

    @Test("an empty file and an empty #! line: exec format error [verified]")
    func emptyFiles() throws {
        for text in ["", "#!\n", "#!   \n"] {
            let finding = try #require(start([Fixture.file("app/x", text)], ["/app/x"]).findings.first)
            #expect(finding.code == .execFormatError, "\(text.debugDescription)")
        }
    }

    @Test("CRLF: the kernel looks for /bin/sh\\r [verified: ENOENT]")
    func crlf() throws {
        let finding = try #require(
            start([Fixture.file("app/entry.sh", "#!/bin/sh\r\necho hi\r\n")], ["/app/entry.sh"]).findings.first)
        #expect(finding.code == .missingShebangInterpreter)
        #expect(finding.message == "exec /app/entry.sh: no such file or directory")
        #expect(finding.cause.contains("CRLF"))
        #expect(finding.fix.first?.contains("sed -i 's/\\r$//' /app/entry.sh") == true)
    }

    @Test("a missing interpreter: no such file or directory, on the script's path")
    func missingInterpreter() throws {
        let finding = try #require(
            start([Fixture.file("app/entry.sh", "#!/bin/bash -e\n")], ["/app/entry.sh"]).findings.first)
        #expect(finding.code == .missingShebangInterpreter)
        #expect(finding.message == "exec /app/entry.sh: no such file or directory")
        #expect(finding.path == "/app/entry.sh")
        #expect(finding.cause == "/app/entry.sh starts with #!/bin/bash, which this image does not have")
    }

    @Test("an interpreter without execute permission: permission denied [verified: EACCES]")
    func interpreterNotExecutable() throws {
        let entries = [Fixture.elf("app/shnox", mode: 0o644), Fixture.file("app/use", "#!/app/shnox sh\n")]
        let finding = try #require(start(entries, ["/app/use"]).findings.first)
        #expect(finding.code == .notExecutable)
        #expect(finding.path == "/app/shnox")
        #expect(finding.message == "exec /app/use: permission denied")
    }

    @Test("an interpreter that is neither ELF nor script: exec format error [verified]")
    func interpreterNotRunnable() throws {
        let entries = [Fixture.file("app/text", "echo\n"), Fixture.file("app/use", "#!/app/text\n")]
        let finding = try #require(start(entries, ["/app/use"]).findings.first)
        #expect(finding.code == .execFormatError)
        #expect(finding.message == "exec /app/use: exec format error")
    }

    /// s1 → s2 → … → sN → /bin/sh (ELF).
    private func chain(_ count: Int) -> [LayerEntry] {
        (1...count).map { index in
            Fixture.file("app/s\(index)", index == count ? "#!/bin/sh\n" : "#!/app/s\(index + 1)\n")
        }
    }

    @Test("5 nested scripts start, 6 give ELOOP [verified on Linux 6.18]")
    func nestingLimit() throws {
        #expect(start(chain(5), ["/app/s1"]).verdict == .pass)
        let finding = try #require(start(chain(6), ["/app/s1"]).findings.first)
        #expect(finding.code == .interpreterLoop)
        #expect(finding.message == "exec /app/s1: too many levels of symbolic links")
    }

    @Test("#!/usr/bin/env NAME: found on PATH starts")
    func envFound() {
        let entries = [Fixture.elf("usr/bin/python3"), Fixture.file("app/main.py", "#!/usr/bin/env python3\n")]
        #expect(start(entries, ["/app/main.py"]).verdict == .pass)
    }

    @Test("#!/usr/bin/env NAME, NAME absent, busybox env: its message, exit 127 [verified]")
    func envMissingBusybox() throws {
        let finding = try #require(
            start([Fixture.file("app/main.py", "#!/usr/bin/env python3\n")], ["/app/main.py"]).findings.first)
        #expect(finding.code == .missingShebangInterpreter)
        #expect(finding.message == "env: can't execute 'python3': No such file or directory")
        #expect(finding.chain.last?.contains("env exits 127") == true)
    }

    @Test("coreutils env says /usr/bin/env: 'NAME': … in the C locale [verified]")
    func envMissingCoreutils() throws {
        var tree = Fixture.debian()
        tree.append(Fixture.file("app/main.py", "#!/usr/bin/env python3\n"))
        let finding = try #require(audit(Fixture.image(tree, entrypoint: ["/app/main.py"])).findings.first)
        #expect(finding.message == "/usr/bin/env: 'python3': No such file or directory")
        #expect(finding.fix.first == "install it: apt-get update && apt-get install -y --no-install-recommends python3")
    }

    @Test("env with a CRLF line looks for NAME\\r")
    func envCRLF() throws {
        let finding = try #require(
            start([Fixture.file("app/run", "#!/usr/bin/env sh\r\n")], ["/app/run"]).findings.first)
        #expect(finding.message == "env: can't execute 'sh\r': No such file or directory")
        #expect(finding.cause.contains("CRLF"))
    }

    @Test("the interpreter is checked like any entrypoint: an ELF interpreter for the wrong machine")
    func interpreterChecked() throws {
        let entries = [Fixture.elf("usr/bin/node"), Fixture.file("app/index.js", "#!/usr/bin/node\n")]
        let loading = FakeLoading(facts: ["/usr/bin/node": ELFFacts(machine: 183, is64Bit: true)])
        let finding = try #require(
            audit(Fixture.image(Fixture.busybox + entries, entrypoint: ["/app/index.js"]), loading).findings.first)
        #expect(finding.code == .wrongArchitecture)
        #expect(finding.path == "/usr/bin/node")
        #expect(finding.message == "exec /app/index.js: exec format error")
    }
}

extension ScriptRulesTests {
    @Test("busybox installed with hard links still speaks as busybox env [oracle: shebang-env-python3]")
    func envHardlinkedBusybox() throws {
        let busybox = LayerEntry(
            "bin/busybox", .regular, permissions: 0o755, size: 1000, content: FileContent(head: Fixture.elfMagic))
        let entries = [
            busybox, LayerEntry("usr/bin/env", .hardlink(target: Array("bin/busybox".utf8))),
            Fixture.file("app/main.py", "#!/usr/bin/env python3\n"),
        ]
        let finding = try #require(audit(Fixture.image(entries, entrypoint: ["/app/main.py"])).findings.first)
        #expect(finding.message == "env: can't execute 'python3': No such file or directory")
    }
}
