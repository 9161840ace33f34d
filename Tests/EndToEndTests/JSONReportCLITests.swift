import Foundation
import ImageAuditTestSupport
import Testing

/// The JSON document from the built CLI (issue 14, item 7): tool version, digests, inputs as
/// given, the policy and summary; valid against docs/report.schema.json.
@Suite struct JSONReportCLITests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    @Test("tool version, manifest and config digests (checked against the tarball's own index), inputs as given")
    func content() throws {
        let image = CIScratch.image("musl-missing-library")
        let result = try BuiltCLI.run([image, "missing.tar", "-o", "json=\(scratch.path("r.json"))"])
        #expect(result.status == 2)
        let json = try CIScratch.json(try scratch.read("r.json"))
        let version = try BuiltCLI.run(["--version"]).stdoutText.split(separator: "\n").first.map(String.init)
        #expect(
            (json["tool"] as? [String: Any])?["version"] as? String
                == version?.split(separator: " ").last.map(String.init))
        #expect(json["inputs"] as? [String] == [image, "missing.tar"])
        let entry = try #require((json["images"] as? [[String: Any]])?.first)
        // The digests the OCI layout's own index.json and manifest name, read with tar and Python.
        let script = """
            import json, sys, tarfile
            t = tarfile.open(sys.argv[1])
            index = json.load(t.extractfile("index.json"))
            manifest = index["manifests"][0]["digest"]
            body = json.load(t.extractfile("blobs/sha256/" + manifest.split(":")[1]))
            print(manifest, body["config"]["digest"])
            """
        let expected = try CIScratch.python(script, [image]).stdoutText.split(separator: " ")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect([entry["manifestDigest"] as? String, entry["configDigest"] as? String] == expected)
        #expect((json["summary"] as? [String: Any])?["unreadable"] as? Int == 1)
        #expect((json["policy"] as? [String: Any])?["failOn"] as? String == "error")
    }

    @Test(
        "the CLI's document validates against docs/report.schema.json",
        .enabled(if: CIScratch.hasPython("jsonschema"), "needs python3 with jsonschema"))
    func validates() throws {
        _ = try BuiltCLI.run([
            CIScratch.image("musl-missing-library"), CIScratch.image("scratch-go-static"), "missing.tar",
            "--ignore", "missing-library", "-o", "json=\(scratch.path("r.json"))", "-o",
            "jsonl=\(scratch.path("r.jsonl"))",
        ])
        let validator = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
            docs = [json.load(open(sys.argv[2]))] + [json.loads(l) for l in open(sys.argv[3])]
            errors = [f"{list(e.absolute_path)}: {e.message}" for d in docs for e in validator.iter_errors(d)]
            print("\\n".join(errors))
            sys.exit(1 if errors else 0)
            """
        let schema = Fixtures.root.appendingPathComponent("docs/report.schema.json").path
        let checked = try CIScratch.python(validator, [schema, scratch.path("r.json"), scratch.path("r.jsonl")])
        #expect(checked.status == 0, "\(checked.stdoutText)")
        #expect(try scratch.read("r.jsonl").split(separator: "\n").count == 4, "2 images, 1 unreadable, the summary")
    }
}
