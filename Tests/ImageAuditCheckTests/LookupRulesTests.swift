import ImageAuditCheck
import ImageAuditFS
import Testing

/// runc's lookup of argv[0] (Go's exec.LookPath as the container user) and the kernel's
/// permission checks. Rules: exec-and-loader-rules.md §1–2; messages: peers.md §4.
/// "[verified]" marks expectations checked with `scripts/verify-exec-rules.sh` (chroot).
@Suite struct LookupRulesTests {
    @Test("no Entrypoint and no Cmd cannot start")
    func noCommand() throws {
        let result = audit(Fixture.image(Fixture.busybox))
        let finding = try #require(result.findings.first)
        #expect(result.verdict == .fail)
        #expect(finding.code == .noEntrypoint)
        #expect(finding.message == "no command specified")
    }

    @Test("an absolute entrypoint that does not exist: runc's stat error")
    func absoluteMissing() throws {
        let result = audit(Fixture.image(Fixture.busybox, entrypoint: ["/app/server"]))
        let finding = try #require(result.findings.first)
        #expect(finding.code == .entrypointNotFound)
        #expect(finding.message == "exec: \"/app/server\": stat /app/server: no such file or directory")
        #expect(finding.chain.contains("/app/server: /app does not exist"))
    }

    @Test("a relative path is resolved against WorkingDir")
    func relativeToWorkingDir() throws {
        let entries = Fixture.busybox + [Fixture.elf("srv/app/server")]
        #expect(audit(Fixture.image(entries, cmd: ["./server"], workingDir: "/srv/app")).verdict == .pass)
        let result = audit(Fixture.image(entries, cmd: ["./server"], workingDir: "/srv"))
        let finding = try #require(result.findings.first)
        #expect(finding.message == "exec: \"./server\": stat ./server: no such file or directory")
        #expect(finding.fix.contains("use the path where it is: [\"/srv/app/server\"]"))
    }

    @Test("a bare name takes the first executable regular file on PATH, skipping others")
    func pathLookupSkipsNonExecutables() {
        let entries =
            Fixture.busybox + [
                Fixture.file("usr/local/bin/tool", "#!/bin/sh\n", mode: 0o644),  // no x bit: skipped
                Fixture.directory("usr/sbin/tool"),  // a directory: skipped
                Fixture.elf("usr/bin/tool"),
            ]
        let result = audit(
            Fixture.image(entries, entrypoint: ["tool"], env: ["PATH=/usr/local/bin:/usr/sbin:/usr/bin"]))
        #expect(result.verdict == .pass)
    }

    @Test("no PATH in the config: Docker's default PATH is searched")
    func defaultPath() {
        let entries = Fixture.busybox + [Fixture.elf("usr/local/sbin/daemon")]
        #expect(audit(Fixture.image(entries, cmd: ["daemon"])).verdict == .pass)
    }

    @Test("a bare name on no PATH directory: executable file not found in $PATH, with where it is")
    func notOnPath() throws {
        let entries = Fixture.busybox + [Fixture.elf("opt/tool/bin/tool")]
        let result = audit(Fixture.image(entries, entrypoint: ["tool"], env: ["PATH=/usr/bin:/bin"]))
        let finding = try #require(result.findings.first)
        #expect(finding.code == .entrypointNotFound)
        #expect(finding.message == "exec: \"tool\": executable file not found in $PATH")
        #expect(finding.chain.contains("a file of that name exists at /opt/tool/bin/tool"))
        #expect(finding.fix.first?.contains("/opt/tool/bin") == true)
    }

    @Test("a directory is not executable: runc's lookup says permission denied [oracle: entrypoint-is-directory]")
    func directory() throws {
        let result = audit(Fixture.image(Fixture.busybox + [Fixture.directory("app")], entrypoint: ["/app"]))
        let finding = try #require(result.findings.first)
        #expect(finding.code == .notExecutable)
        #expect(finding.message == "exec: \"/app\": permission denied")
    }

    @Test("root needs one x bit: 0644 fails at lookup, 0601 runs [verified; oracle: no-exec-bit]")
    func rootNeedsAnyExecuteBit() throws {
        let denied = audit(
            Fixture.image(
                Fixture.busybox + [Fixture.file("app/run", "#!/bin/sh\n", mode: 0o644)], entrypoint: ["/app/run"]))
        let finding = try #require(denied.findings.first)
        #expect(finding.code == .notExecutable)
        #expect(finding.message == "exec: \"/app/run\": permission denied")
        #expect(finding.fix.first?.contains("chmod 0755 /app/run") == true)
        let allowed = audit(
            Fixture.image(
                Fixture.busybox + [Fixture.file("app/run", "#!/bin/sh\n", mode: 0o601)], entrypoint: ["/app/run"]))
        #expect(allowed.verdict == .pass)
    }

    @Test(
        "a 0700 root-owned file passes runc's lookup (as root) and fails execve as uid 1000 [verified; oracle: exec-bit-owner-only]"
    )
    func ownerOnly() throws {
        let entries = Fixture.busybox + [Fixture.file("app/run", "#!/bin/sh\n", mode: 0o700)]
        let result = audit(Fixture.image(entries, entrypoint: ["/app/run"], user: "1000"))
        let finding = try #require(result.findings.first)
        #expect(finding.code == .notExecutable)
        #expect(finding.message == "exec /app/run: permission denied")
        #expect(finding.cause == "/app/run has mode 0700, which gives uid 1000 no execute permission")
        #expect(audit(Fixture.image(entries, entrypoint: ["/app/run"])).verdict == .pass)
    }

    @Test("a directory the user may not search hides the entrypoint")
    func searchPermission() throws {
        let entries = Fixture.busybox + [Fixture.directory("app", mode: 0o700), Fixture.elf("app/server")]
        let result = audit(Fixture.image(entries, entrypoint: ["/app/server"], user: "1000:1000"))
        let finding = try #require(result.findings.first)
        #expect(finding.code == .notExecutable)
        #expect(finding.message == "exec /app/server: permission denied")
        #expect(finding.fix == ["let the user search it: RUN chmod o+x /app (or chown it to the user)"])
    }

    @Test("shell form needs /bin/sh")
    func shellFormWithoutShell() throws {
        let image = Fixture.image([Fixture.elf("app/server")], cmd: ["/bin/sh", "-c", "/app/server --port 80"])
        let finding = try #require(audit(image).findings.first)
        #expect(finding.code == .entrypointNotFound)
        #expect(finding.message == "exec: \"/bin/sh\": stat /bin/sh: no such file or directory")
        #expect(finding.cause.contains("shell form"))
        #expect(finding.fix.first?.contains("exec form") == true)
    }

    @Test("symlinks are followed inside the image, absolute targets re-rooted")
    func symlinkedEntrypoint() {
        let entries =
            Fixture.busybox + [
                Fixture.elf("opt/app/bin/server"), Fixture.symlink("usr/local/bin/server", "/opt/app/bin/server"),
            ]
        #expect(audit(Fixture.image(entries, entrypoint: ["server"])).verdict == .pass)
    }
}
