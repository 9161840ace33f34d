import ImageAuditCheck
import ImageAuditFS
import Testing

/// `User` (runc's libcontainer/user) and Docker's merge of config and run overrides.
@Suite struct UserAndProcessTests {
    private let server = Fixture.elf("app/server")

    @Test("a user name must exist in /etc/passwd: runc's message")
    func unknownUser() throws {
        let result = audit(Fixture.image(Fixture.alpine + [server], entrypoint: ["/app/server"], user: "app"))
        let finding = try #require(result.findings.first)
        #expect(result.verdict == .fail)
        #expect(finding.code == .unknownUser)
        #expect(finding.message == "unable to find user app: no matching entries in passwd file")
        #expect(finding.fix.first == "create it in the image: RUN adduser -D -H -u 10001 app")
    }

    @Test("no /etc/passwd at all: names fail, numbers work")
    func noPasswd() {
        #expect(
            audit(Fixture.image([server], entrypoint: ["/app/server"], user: "nonroot")).findings.first?.code
                == .unknownUser)
        #expect(audit(Fixture.image([server], entrypoint: ["/app/server"], user: "65532:65532")).verdict == .pass)
    }

    @Test("a group name must exist in /etc/group (same code as users, as the oracle classifies it)")
    func unknownGroup() throws {
        let finding = try #require(
            audit(Fixture.image(Fixture.debian() + [server], entrypoint: ["/app/server"], user: "app:web")).findings
                .first)
        #expect(finding.code == .unknownUser)
        #expect(finding.message == "unable to find group web: no matching entries in group file")
    }

    @Test("a named user gets its passwd gid and its /etc/group memberships")
    func supplementaryGroups() {
        // /app/server is 0750 root:50 (staff); app (1000) is a member of staff through /etc/group.
        let entries =
            Fixture.debian() + [
                LayerEntry(
                    "app/server", .regular, permissions: 0o750, gid: 50,
                    content: FileContent(head: Fixture.elfMagic))
            ]
        #expect(audit(Fixture.image(entries, entrypoint: ["/app/server"], user: "app")).verdict == .pass)
        // Numeric 1000 names the same passwd entry, so the same groups.
        #expect(audit(Fixture.image(entries, entrypoint: ["/app/server"], user: "1000")).verdict == .pass)
        // An explicit group replaces the memberships.
        #expect(audit(Fixture.image(entries, entrypoint: ["/app/server"], user: "app:app")).verdict == .fail)
    }

    @Test("--entrypoint replaces Entrypoint and drops Cmd; --cmd replaces Cmd only")
    func overrides() {
        let entries = Fixture.busybox + [server]
        let image = Fixture.image(entries, entrypoint: ["/missing"], cmd: ["--flag"])
        let replaced = audit(image, options: AuditOptions(overrides: RunOverrides(entrypoint: ["/app/server"])))
        #expect(replaced.argv == ["/app/server"])
        #expect(replaced.verdict == .pass)
        let withCmd = audit(
            image, options: AuditOptions(overrides: RunOverrides(entrypoint: ["/app/server"], cmd: ["-v"])))
        #expect(withCmd.argv == ["/app/server", "-v"])
        let cmdOnly = audit(image, options: AuditOptions(overrides: RunOverrides(cmd: ["-v"])))
        #expect(cmdOnly.argv == ["/missing", "-v"])
    }

    @Test("--user and --env override the config; --env PATH changes the lookup")
    func userAndEnv() {
        let entries = Fixture.busybox + [Fixture.elf("opt/bin/tool")]
        let image = Fixture.image(entries, entrypoint: ["tool"])
        #expect(audit(image).verdict == .fail)
        let options = AuditOptions(overrides: RunOverrides(user: "4242", env: ["PATH=/opt/bin"]))
        let result = audit(image, options: options)
        #expect(result.verdict == .pass)
        #expect(result.user == "4242")
    }

    @Test("HEALTHCHECK: checked like the entrypoint, broken is a warning")
    func healthcheck() throws {
        let entries = Fixture.busybox + [server]
        let result = audit(
            Fixture.image(
                entries, entrypoint: ["/app/server"], healthcheck: ["CMD", "curl", "-f", "http://localhost/"]))
        #expect(result.verdict == .pass)
        #expect(result.checks == ["entrypoint", "healthcheck"])
        let finding = try #require(result.findings("healthcheck").first)
        #expect(finding.code == .healthcheckBroken)
        #expect(finding.reason == .entrypointNotFound)
        #expect(finding.severity == .warning)
        #expect(finding.message == "exec: \"curl\": executable file not found in $PATH")
    }

    @Test("HEALTHCHECK CMD-SHELL needs /bin/sh; NONE is no check")
    func healthcheckShell() {
        let shell = audit(Fixture.image([server], entrypoint: ["/app/server"], healthcheck: ["CMD-SHELL", "true"]))
        #expect(shell.findings.map(\.reason) == [.entrypointNotFound])
        let none = audit(Fixture.image([server], entrypoint: ["/app/server"], healthcheck: ["NONE"]))
        #expect(none.checks == ["entrypoint"])
    }

    @Test("--all-executables: every ELF and script on PATH once, problems as warnings")
    func allExecutables() {
        let entries =
            Fixture.busybox + [
                server, Fixture.file("usr/bin/broken.sh", "#!/bin/bash\n"),
                Fixture.file("usr/bin/data", "x", mode: 0o644),
            ]
        let result = audit(
            Fixture.image(entries, entrypoint: ["/app/server"]), options: AuditOptions(allExecutables: true))
        #expect(result.verdict == .pass)
        // Default PATH order; /usr/bin/env, /bin/busybox, /bin/sh and /bin/ls are one file: checked once,
        // under the first name met. /usr/bin/data is neither ELF nor script.
        #expect(result.checks == ["entrypoint", "executable:/usr/bin/broken.sh", "executable:/usr/bin/env"])
        #expect(result.findings.map(\.code) == [.missingShebangInterpreter])
        #expect(result.findings.first?.message == "exec /usr/bin/broken.sh: no such file or directory")
        #expect(result.findings.first?.severity == .warning)
    }
}
