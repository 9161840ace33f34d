import Foundation
import ImageAuditTestSupport
import Testing

/// Policy (issue 14, item 4): --ignore, the config file (.imageaudit.yaml or --config),
/// IMAGEAUDIT_* variables (flag beats environment beats file), suppressed findings still shown.
@Suite struct PolicyConfigTests {
    let scratch: CIScratch
    /// musl-missing-library fails on missing-library at /usr/local/bin/app (TestImages/expected.tsv).
    let image = CIScratch.image("musl-missing-library")
    let clean = [
        "IMAGEAUDIT_FAIL_ON", "IMAGEAUDIT_IGNORE", "IMAGEAUDIT_OUTPUT", "IMAGEAUDIT_FORMAT", "IMAGEAUDIT_CONFIG",
    ]

    init() throws { scratch = try CIScratch() }

    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try BuiltCLI.run(arguments, environment: environment, removing: clean, directory: scratch.directory)
    }

    private func findings(_ result: ProcessResult) throws -> (
        verdict: String, findings: [[String: Any]], summary: [String: Any]
    ) {
        let json = try CIScratch.json(result.stdoutText)
        let image = try #require((json["images"] as? [[String: Any]])?.first)
        return (
            image["verdict"] as? String ?? "", image["findings"] as? [[String: Any]] ?? [],
            json["summary"] as? [String: Any] ?? [:]
        )
    }

    @Test("--ignore CODE:PATH accepts the finding: still listed, marked suppressed, counted; status 0")
    func ignoreFlag() throws {
        let failing = try run([image, "-o", "json"])
        #expect(failing.status == 1)
        let result = try run([image, "-o", "json", "--ignore", "missing-library:/usr/local/bin/app"])
        #expect(result.status == 0, "\(result.stderrText)")
        let (verdict, findings, summary) = try findings(result)
        #expect(verdict == "pass")
        #expect(findings.map { $0["code"] as? String } == ["missing-library"])
        #expect((findings.first?["suppressed"] as? [String: Any])?["source"] as? String == "--ignore")
        #expect(summary["suppressed"] as? Int == 1)
        #expect(try run([image, "--ignore", "missing-library:/other/path"]).status == 1)
        #expect(try run([image, "--ignore", "no-such-code"]).status == 64)
        let text = try run([image, "--ignore", "missing-library"])
        #expect(text.status == 0 && text.stdoutText.contains("suppressed error (ignored by --ignore)[missing-library]"))
    }

    @Test(".imageaudit.yaml in the working directory: ignores with reasons, image patterns, expiry, defaults")
    func configFile() throws {
        _ = try scratch.write(
            ".imageaudit.yaml",
            """
            fail-on: error
            output: [json]
            ignore:
              - code: missing-library
                path: /usr/local/bin/app
                image: "late*"
                reason: "libfoo is mounted at run time"
                until: 2999-12-31
              - code: entrypoint-not-found
                reason: "an old exception"
                until: 2001-01-01
            """)
        let result = try run([image])
        #expect(result.status == 0, "\(result.stderrText)")
        let (verdict, findings, _) = try findings(result)
        #expect(verdict == "pass")
        let suppressed = try #require(findings.first?["suppressed"] as? [String: Any])
        #expect(suppressed["reason"] as? String == "libfoo is mounted at run time")
        #expect(suppressed["source"] as? String == ".imageaudit.yaml")
        #expect(
            result.stderrText
                == "warning: .imageaudit.yaml: the ignore of entrypoint-not-found expired on 2001-01-01; it no longer applies\n"
        )
        let expired = try run([CIScratch.image("entrypoint-missing")])
        #expect(expired.status == 1, "an expired ignore no longer ignores")
        let policy = try #require(try CIScratch.json(expired.stdoutText)["policy"] as? [String: Any])
        #expect((policy["expiredIgnores"] as? [[String: Any]])?.first?["code"] as? String == "entrypoint-not-found")
    }

    @Test("a bad config file is one line naming it, status 64; --config picks another file")
    func badConfig() throws {
        let bad = try scratch.write("bad.yaml", "ignore:\n  - code: missing-library\n")
        let result = try run([image, "--config", bad])
        #expect(result.status == 64)
        #expect(
            result.stderrText
                == "error: \(bad): ignore[1] (missing-library) needs a reason: say why the finding is accepted\n")
        let missing = try run([image, "--config", scratch.path("none.yaml")])
        #expect(
            missing.status == 64 && missing.stderrText.hasPrefix("error: \(scratch.path("none.yaml")): cannot read"))
        let good = try scratch.write("good.yaml", "fail-on: never\n")
        #expect(try run([image, "--config", good]).status == 0)
        #expect(try run([image], environment: ["IMAGEAUDIT_CONFIG": good]).status == 0)
    }

    @Test("flag beats IMAGEAUDIT_* beats the file")
    func precedence() throws {
        let warningOnly = CIScratch.image("scratch-go-static")
        _ = try scratch.write(".imageaudit.yaml", "fail-on: warning\n")
        #expect(try run([warningOnly]).status == 1, "file: warning")
        #expect(try run([warningOnly], environment: ["IMAGEAUDIT_FAIL_ON": "error"]).status == 0, "env beats file")
        #expect(
            try run([warningOnly, "--fail-on", "warning"], environment: ["IMAGEAUDIT_FAIL_ON": "error"]).status == 1)
        #expect(try run([warningOnly], environment: ["IMAGEAUDIT_FAIL_ON": "bogus"]).status == 64)
        let env = try run(
            [image],
            environment: [
                "IMAGEAUDIT_IGNORE": "missing-library:/usr/local/bin/app", "IMAGEAUDIT_OUTPUT": "json,sarif=env.sarif",
            ])
        #expect(env.status == 0, "\(env.stderrText)")
        #expect(try CIScratch.json(env.stdoutText)["schemaVersion"] as? Int == 2)
        #expect(
            try scratch.read("env.sarif").contains(
                "\"justification\" : \"ignored by IMAGEAUDIT_IGNORE (IMAGEAUDIT_IGNORE)\""))
    }
}
