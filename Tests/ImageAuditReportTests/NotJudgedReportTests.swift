import Foundation
import ImageAuditCheck
import ImageAuditReport
import Testing

/// The third verdict (docs/exit-codes.md): no failure, but the start was not judged. One rule
/// (`Verdict.judging`), exit status 3, and every format says not judged.
@Suite struct NotJudgedReportTests {
    static func finding(_ code: FindingCode = .notJudged, check: String = "entrypoint") -> Finding {
        Finding(
            code: code, severity: .warning, check: check, path: "`$APP` (sh -c, line 1)", message: "",
            cause: "`$APP` (sh -c, line 1) is not judged (the command word comes from `$APP`, which is unset)")
    }

    /// The passing sample with `findings`, judged under `policy`.
    static func result(_ findings: [Finding], _ policy: AuditPolicy = AuditPolicy()) -> AuditResult {
        var result = Samples.audited()[1]
        result.findings = findings
        return policy.apply(result)
    }

    static func report(_ policy: AuditPolicy = AuditPolicy()) -> AuditReport {
        AuditReport(
            results: [Samples.audited()[0], result([finding()])].map(policy.apply), policy: policy,
            toolVersion: "0.2.0")
    }

    @Test("which findings make the start not judged: the entrypoint check's, unsuppressed, not under a failure")
    func rule() {
        for code in [FindingCode.notJudged, .binaryNotAnalysed, .elfIncompletelyRead] {
            #expect(Self.result([Self.finding(code)]).verdict == .notJudged, "\(code)")
        }
        #expect(Self.result([Self.finding(.moduleWillNotLoad)]).verdict == .pass, "a warning that is judged")
        for check in ["healthcheck", "executable:/usr/bin/x", "module:/usr/lib/x.so"] {
            #expect(Self.result([Self.finding(check: check)]).verdict == .pass, "\(check)")
        }
        var health = Self.finding(.healthcheckBroken, check: "healthcheck")
        health.reason = .notJudged
        #expect(Self.result([health]).verdict == .pass, "an unjudged HEALTHCHECK does not decide the start")
        let error = Finding(code: .missingLibrary, path: "/app/x", message: "m", cause: "c")
        #expect(Self.result([Self.finding(), error]).verdict == .fail)
        #expect(Self.result([Self.finding()], AuditPolicy(failOn: .warning)).verdict == .fail)
        #expect(Self.result([Self.finding()], AuditPolicy(failOn: .never)).verdict == .notJudged)
        let ignore = IgnoreRule(code: "not-judged", reason: "accepted", source: "--ignore")
        #expect(Self.result([Self.finding()], AuditPolicy(ignores: [ignore])).verdict == .pass)
        #expect(Self.result([Self.finding()], AuditPolicy(allowNotJudged: true)).verdict == .notJudged)
        // The result's own verdict (before any policy) follows the same rule.
        var raw = Samples.audited()[1]
        raw = AuditResult(
            source: raw.source, names: raw.names, platform: raw.platform, identity: raw.identity, argv: raw.argv,
            user: raw.user, checks: raw.checks, findings: [Self.finding()])
        #expect(raw.verdict == .notJudged)
    }

    @Test("exit status 3: worst is 2 over 1 over 3 over 0; --allow-not-judged and --fail-on never give 0")
    func status() {
        let unjudged = [Self.result([Self.finding()])]
        let failing = [Samples.audited()[0]].map(AuditPolicy().apply)
        #expect(AuditPolicy().status(for: unjudged) == ExitStatus.notJudged && ExitStatus.notJudged == 3)
        #expect(AuditPolicy().status(for: unjudged + failing) == ExitStatus.fail)
        #expect(AuditPolicy(allowNotJudged: true).status(for: unjudged) == ExitStatus.pass)
        #expect(AuditPolicy(allowNotJudged: true).status(for: unjudged + failing) == ExitStatus.fail)
        #expect(AuditPolicy(failOn: .never).status(for: unjudged) == ExitStatus.pass)
        let strict = [Self.result([Self.finding()], AuditPolicy(failOn: .warning))]
        #expect(AuditPolicy(failOn: .warning).status(for: strict) == ExitStatus.fail)
        #expect(ExitStatus.worst([0, 3]) == 3 && ExitStatus.worst([3, 1]) == 1 && ExitStatus.worst([3, 2, 1]) == 2)
        #expect(ExitStatus.worst([0, 0]) == 0)
        #expect(ExitStatus.status(for: unjudged, strict: false) == 3)
        #expect(ExitStatus.status(for: unjudged, strict: true) == 1)
    }

    @Test("text: NOT JUDGED naming what was not judged; quiet names the finding; the summary counts it")
    func text() {
        let text = TextReport().render(Self.result([Self.finding()]))
        #expect(text.contains("  NOT JUDGED  `$APP` (sh -c, line 1) not judged (see the warning): tool as root"))
        #expect(text.contains("warning[not-judged] `$APP` (sh -c, line 1)"))
        #expect(!text.contains("PASS"))
        let quiet = TextReport(quiet: true).render(Self.result([Self.finding()]))
        #expect(quiet.hasPrefix("NOT JUDGED /tmp/my images/tool.tar: not-judged: `$APP` (sh -c, line 1) is not judged"))
        let summary = Self.report().summary
        #expect(summary.notJudged == 1 && summary.failed == 1 && summary.passed == 0)
        #expect(summary.text.hasPrefix("1 tarball, 2 images: 0 passed, 1 failed, 1 not judged, 0 unreadable\n"))
        let accepted = TextReport().render(
            Self.result(
                [Self.finding()], AuditPolicy(ignores: [IgnoreRule(code: "not-judged", reason: "ok", source: "f")])))
        #expect(accepted.contains("  PASS  starts: tool as root"))
    }

    @Test("JSON and jsonl: verdict not-judged, summary notJudged, policy allowNotJudged")
    func json() throws {
        let text = try JSONReport.render(Self.report(AuditPolicy(allowNotJudged: true)))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let images = try #require(document["images"] as? [[String: Any]])
        #expect(images.map { $0["verdict"] as? String } == ["fail", "not-judged"])
        #expect((document["summary"] as? [String: Any])?["notJudged"] as? Int == 1)
        #expect((document["policy"] as? [String: Any])?["allowNotJudged"] as? Bool == true)
        let line = try JSONReport.line(Self.result([Self.finding()]))
        #expect(line.contains("\"verdict\":\"not-judged\""))
        #expect(try JSONReport.summaryLine(Self.report().summary).contains("\"notJudged\":1"))
    }

    @Test(
        "the not-judged JSON document and lines validate against the schema",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func schema() throws {
        let schema = Python.repositoryRoot.appendingPathComponent("docs/report.schema.json").path
        let document = try Python.temporaryFile(try JSONReport.render(Self.report()), suffix: ".json")
        let lines = try Python.temporaryFile(
            try JSONReport.line(Self.result([Self.finding()])) + "\n" + JSONReport.summaryLine(Self.report().summary)
                + "\n", suffix: ".jsonl")
        defer { for file in [document, lines] { try? FileManager.default.removeItem(atPath: file) } }
        for (file, kind) in [(document, "document"), (lines, "lines")] {
            let (status, output) = try Python.run(JSONReportTests.validator, [schema, file, kind])
            #expect(status == 0, "\(kind): \(output)")
        }
    }

    @Test("SARIF: properties.verdict not-judged, the finding a warning, its rule's default level warning")
    func sarif() throws {
        let text = try SARIFReport.render(Self.report(), options: SARIFReport.Options())
        let run = try #require((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["runs"])
        let first = try #require((run as? [[String: Any]])?.first)
        let results = try #require(first["results"] as? [[String: Any]])
        let unjudged = try #require(results.first { $0["ruleId"] as? String == "not-judged" })
        #expect(unjudged["level"] as? String == "warning")
        #expect((unjudged["properties"] as? [String: Any])?["verdict"] as? String == "not-judged")
        #expect(((unjudged["message"] as? [String: Any])?["text"] as? String)?.contains(": not judged: `$APP`") == true)
        let rules = try #require(((first["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"])
        let rule = try #require((rules as? [[String: Any]])?.first { $0["id"] as? String == "not-judged" })
        #expect((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")
    }

    @Test("JUnit: the entrypoint case is <skipped type=not-judged>, the suite counts it, nothing fails")
    func junit() throws {
        let xml = JUnitReport.render(AuditReport(results: [Self.result([Self.finding()])], toolVersion: "0.2.0"))
        #expect(xml.contains("tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""))
        #expect(xml.contains("<property name=\"verdict\" value=\"not-judged\"/>"))
        #expect(
            xml.contains(
                "<skipped type=\"not-judged\" message=\"not judged: `$APP` (sh -c, line 1) is not judged (the command word"
            ))
        #expect(!xml.contains("<failure"))
        let strict = JUnitReport.render(
            AuditReport.judging([Self.result([Self.finding()])], policy: AuditPolicy(failOn: .warning), toolVersion: "")
        )
        #expect(strict.contains("<failure type=\"not-judged\"") && !strict.contains("<skipped"))
    }

    @Test(
        "junitparser reads the not-judged case as skipped",
        .enabled(if: Python.has("junitparser"), "needs python3 with junitparser (scripts/install-deps.sh --test)"))
    func junitParsed() throws {
        let xml = JUnitReport.render(AuditReport(results: [Self.result([Self.finding()])], toolVersion: "0.2.0"))
        let file = try Python.temporaryFile(xml, suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let reader = """
            import sys, junitparser
            for suite in junitparser.JUnitXml.fromfile(sys.argv[1]):
                for case in suite:
                    print(case.name, case.is_skipped, case.is_passed, [r.message for r in case.result])
            """
        let (status, output) = try Python.run(reader, [file])
        #expect(status == 0, "\(output)")
        #expect(
            output.hasPrefix("entrypoint True False ['not judged: `$APP` (sh -c, line 1) is not judged ("), "\(output)")
    }

    @Test("github, gitlab and markdown say not judged and count it")
    func ciFormats() throws {
        let report = Self.report()
        let github = GitHubReport.render(report) { _ in nil }
        #expect(github.contains("::warning title=imageaudit not-judged%3A /tmp/my images/tool.tar::`$APP` (sh -c"))
        #expect(github.contains(": not judged: `$APP` (sh -c, line 1) is not judged"))
        #expect(github.hasSuffix("imageaudit: 2 images, 0 passed, 1 failed, 1 not judged, 0 unreadable\n"))
        let gitlab = try GitLabReport.render(report) { _ in nil }
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(gitlab.utf8)) as? [[String: Any]])
        let issue = try #require(issues.first { $0["check_name"] as? String == "not-judged" })
        #expect(issue["severity"] as? String == "major")
        #expect((issue["description"] as? String)?.contains(": not judged: `$APP`") == true)
        let markdown = MarkdownReport.render(report)
        #expect(markdown.hasPrefix("## imageaudit: 2 images, 0 passed, 1 failed, 1 not judged\n"))
        #expect(markdown.contains("### ❔ NOT JUDGED `/tmp/my images/tool.tar`"))
        #expect(markdown.contains("| ❔ not judged | `not-judged` |"))
    }
}
