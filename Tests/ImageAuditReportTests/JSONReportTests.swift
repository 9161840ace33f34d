import Foundation
import ImageAuditCheck
import ImageAuditReport
import Testing

/// The JSON and JSONL reports against docs/report.schema.json, validated by Python's jsonschema.
@Suite struct JSONReportTests {
    static let validator = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        validator = jsonschema.Draft202012Validator(schema)
        errors = []
        with open(sys.argv[2]) as f:
            documents = [json.loads(line) for line in f] if sys.argv[3] == "lines" else [json.load(f)]
        for document in documents:
            errors += [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
        print("\\n".join(errors))
        sys.exit(1 if errors else 0)
        """

    private func validate(_ text: String, lines: Bool) throws -> (status: Int32, output: String) {
        let schema = Python.repositoryRoot.appendingPathComponent("docs/report.schema.json").path
        let file = try Python.temporaryFile(text, suffix: ".json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try Python.run(Self.validator, [schema, file, lines ? "lines" : "document"])
    }

    @Test("json validates against the schema", .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func jsonValidates() throws {
        let text = try JSONReport.render(Samples.audited(allExecutables: true) + [Samples.hostile])
        let (status, output) = try validate(text, lines: false)
        #expect(status == 0, "\(output)")
    }

    @Test(
        "jsonl: one valid object per image, one line each",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func jsonlValidates() throws {
        let results = Samples.audited() + [Samples.hostile]
        let text = try ReportRenderer(format: .jsonl, toolVersion: "0").render(results)
        #expect(text.split(separator: "\n").count == results.count)
        let (status, output) = try validate(text, lines: true)
        #expect(status == 0, "\(output)")
    }

    @Test(
        "jsonl bulk lines: unreadable tarballs, skipped tags and the summary validate too",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func bulkLinesValidate() throws {
        var summary = AuditSummary(shard: "2/5")
        summary.add(Samples.audited() + [Samples.hostile], strict: false)
        summary.addUnreadable()
        summary.addSkipped()
        let text = [
            try JSONReport.unreadableLine(source: "a.tar", error: "truncated gzip input"),
            try JSONReport.skippedLine(
                source: "docker://r.example/app:sbom", note: "not an image (SBOM (application/spdx+json)): skipped"),
            try JSONReport.summaryLine(summary), try JSONReport.summaryLine(AuditSummary()),
        ].joined(separator: "\n")
        let (status, output) = try validate(text, lines: true)
        #expect(status == 0, "\(output)")
        #expect(summary.images == Samples.audited().count + 1 && summary.tarballs == 3 && summary.unreadable == 1)
        #expect(summary.skipped == 1 && summary.text.contains(", 1 unreadable, 1 skipped\n"))
        #expect(summary.passed + summary.failed == summary.images)
        #expect(summary.failureCodes.values.reduce(0, +) == summary.failed)
    }

    @Test(
        "notes appear when there are some and validate",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func notesValidate() throws {
        var noted = Samples.audited()[1]
        noted.notes = ["skipped sha256:0123456789ab (v1.sig): cosign signature, not an image"]
        let text = try JSONReport.render([noted, Samples.audited()[0]])
        #expect(text.components(separatedBy: "\"notes\" :").count == 2)
        let (status, output) = try validate(text, lines: false)
        #expect(status == 0, "\(output)")
        let twoLines = text.replacingOccurrences(of: "cosign signature", with: "cosign\\nsignature")
        let (rejected, _) = try validate(twoLines, lines: false)
        #expect(rejected == 1, "a note must be one line")
    }

    @Test(
        "the validator rejects what the schema forbids",
        .enabled(if: Python.has("jsonschema"), "needs python3 with jsonschema"))
    func schemaRejects() throws {
        let text = try JSONReport.render(Samples.audited())
        for (from, to) in [
            ("\"verdict\" : \"fail\"", "\"verdict\" : \"maybe\""),
            ("\"severity\" : \"warning\"", "\"severity\" : \"info\""),
            ("\"code\" : \"healthcheck-broken\"", "\"code\" : \"healthcheck-borken\""),
        ] {
            #expect(text.contains(from), "sample lacks \(from)")
            let (status, _) = try validate(text.replacingOccurrences(of: from, with: to), lines: false)
            #expect(status == 1, "accepted \(to)")
        }
    }

    @Test("the document says what the audit found")
    func content() throws {
        let data = Data(try JSONReport.render(Samples.audited()).utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["schemaVersion"] as? Int == 2)
        let images = try #require(document["images"] as? [[String: Any]])
        #expect(images.map { $0["verdict"] as? String } == ["fail", "pass"])
        #expect(images[0]["names"] as? [String] == ["registry.example/api:1.4"])
        #expect((images[0]["os"] as? [String: Any])?["libc"] as? String == "none")
        let findings = try #require(images[0]["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["missing-shebang-interpreter", "healthcheck-broken"])
        #expect(findings.map { $0["severity"] as? String } == ["error", "warning"])
        #expect(findings[0]["message"] as? String == "exec /app/entrypoint.sh: no such file or directory")
        #expect(findings[1]["reason"] as? String == "entrypoint-not-found")
    }
}

/// The documentation names every code the audit can emit.
@Suite struct CodeDocumentationTests {
    @Test("every finding code has a section in docs/findings.md and is in the schema's enum")
    func documented() throws {
        let root = Python.repositoryRoot
        let findings = try String(contentsOf: root.appendingPathComponent("docs/findings.md"), encoding: .utf8)
        let schema = try String(contentsOf: root.appendingPathComponent("docs/report.schema.json"), encoding: .utf8)
        for code in FindingCode.allCases {
            #expect(findings.contains("\n## \(code.rawValue) ("), "docs/findings.md lacks \(code.rawValue)")
            #expect(schema.contains("\"\(code.rawValue)\""), "report.schema.json lacks \(code.rawValue)")
        }
    }
}
