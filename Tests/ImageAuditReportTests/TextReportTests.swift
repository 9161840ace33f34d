import ImageAuditCheck
import ImageAuditReport
import Testing

/// The default text report and the exit-status contract.
@Suite struct TextReportTests {
    @Test("identity line, verdict, what users see, cause, chain and fixes")
    func layout() {
        let text = TextReport().render(Samples.audited()[0])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "registry.example/api:1.4  (build/api.tar)  linux/amd64  Alpine Linux v3.20, no C library")
        #expect(lines[1] == "  FAIL  will not start: /app/entrypoint.sh as root")
        #expect(lines.contains("  error[missing-shebang-interpreter] /app/entrypoint.sh"))
        #expect(lines.contains("    users see:  exec /app/entrypoint.sh: no such file or directory"))
        #expect(lines.contains { $0.hasPrefix("    cause:      /app/entrypoint.sh has Windows (CRLF) line endings") })
        #expect(lines.contains { $0.contains("1. /app/entrypoint.sh: script, #!/bin/sh\\r") })
        #expect(
            lines.contains("    fix:        - convert it to LF: RUN sed -i 's/\\r$//' /app/entrypoint.sh (or dos2unix)")
        )
        #expect(lines.contains("  warning[healthcheck-broken] (healthcheck) curl"))
        #expect(!text.contains("\u{1b}["))
        #expect(!text.contains("\r"))
    }

    @Test("a bare OCI tag is not a name: the tarball leads the identity line")
    func bareTag() {
        var tagged = Samples.audited()[0]
        tagged.names = ["latest"]
        #expect(TextReport().render(tagged).hasPrefix("build/api.tar  (tag latest)  linux/amd64  "))
        tagged.names = []
        #expect(TextReport().render(tagged).hasPrefix("build/api.tar  linux/amd64  "))
    }

    @Test("notes (manifests skipped) follow the verdict line, one line each; quiet leaves them out")
    func notes() {
        var result = Samples.audited()[1]
        result.notes = ["skipped sha256:0123456789ab (v1.sig): cosign signature, not an image", "second\rnote"]
        let lines = TextReport().render(result).split(separator: "\n").map(String.init)
        #expect(lines[2] == "  note: skipped sha256:0123456789ab (v1.sig): cosign signature, not an image")
        #expect(lines[3] == "  note: second\\rnote")
        #expect(!TextReport(quiet: true).render(result).contains("note"))
    }

    @Test("colour only when asked; quiet is one line per image")
    func colourAndQuiet() {
        #expect(TextReport(color: true).render(Samples.audited()[0]).contains("\u{1b}[31mFAIL\u{1b}[0m"))
        let quiet = TextReport(quiet: true).render(Samples.audited())
        #expect(
            quiet
                == "FAIL build/api.tar [registry.example/api:1.4]: missing-shebang-interpreter: exec /app/entrypoint.sh: no such file or directory\n"
                + "PASS /tmp/my images/tool.tar\n")
    }

    @Test("exit status: 0 pass, 1 fail, warnings only with --strict; 2 beats 1 beats 0")
    func exitStatus() {
        let results = Samples.audited()
        #expect(ExitStatus.status(for: [results[1]], strict: true) == 0)
        #expect(ExitStatus.status(for: results, strict: false) == 1)
        var warningOnly = results[0]
        warningOnly.findings.removeFirst()
        warningOnly.verdict = .pass
        #expect(ExitStatus.status(for: [warningOnly], strict: false) == 0)
        #expect(ExitStatus.status(for: [warningOnly], strict: true) == 1)
        #expect(ExitStatus.worst([0, 1, 2, 0]) == 2)
        #expect(ExitStatus.worst([0, 1]) == 1)
        #expect(ExitStatus.worst([]) == 0)
    }

    @Test("a pass whose entrypoint could not be read in full is not called a start")
    func notJudged() {
        var result = Samples.audited()[1]
        #expect(TextReport().render(result).contains("  PASS  starts: "))
        result.findings = [
            Finding(
                code: .elfIncompletelyRead, severity: .warning, path: "/usr/local/bin/tool", message: "",
                cause: "the audit could not read the string table (DT_NEEDED names) of /usr/local/bin/tool")
        ]
        let text = TextReport().render(AuditPolicy().apply(result))
        #expect(text.contains("  NOT JUDGED  /usr/local/bin/tool not judged (see the warning): "))
        #expect(text.contains("warning[elf-incompletely-read] /usr/local/bin/tool"))
    }
}
