import Foundation
import ImageAuditTestSupport
import Testing

/// Gating on the third verdict (docs/exit-codes.md): 3 when no image fails but one is not judged;
/// --allow-not-judged, IMAGEAUDIT_ALLOW_NOT_JUDGED or `allow-not-judged: true` accept it; the
/// worst of a bulk call is 2 over 1 over 3 over 0, and the summaries count not-judged images.
@Suite struct NotJudgedGateTests {
    let scratch: CIScratch
    /// The oracle starts it; the audit cannot know its command (TestImages/README.md).
    let unjudged = CIScratch.image("shell-read-command")
    let clean = ["IMAGEAUDIT_ALLOW_NOT_JUDGED", "IMAGEAUDIT_FAIL_ON", "IMAGEAUDIT_CONFIG", "IMAGEAUDIT_OUTPUT"]

    init() throws { scratch = try CIScratch() }

    private func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        try BuiltCLI.run(arguments, environment: environment, removing: clean, directory: scratch.directory)
    }

    @Test("--allow-not-judged, IMAGEAUDIT_ALLOW_NOT_JUDGED and the config file key give 0; flag beats file")
    func allow() throws {
        #expect(try run([unjudged]).status == 3)
        #expect(try run([unjudged, "--allow-not-judged"]).status == 0)
        #expect(try run([unjudged], environment: ["IMAGEAUDIT_ALLOW_NOT_JUDGED": "1"]).status == 0)
        #expect(try run([unjudged], environment: ["IMAGEAUDIT_ALLOW_NOT_JUDGED": "maybe"]).status == 64)
        _ = try scratch.write(".imageaudit.yaml", "allow-not-judged: true\n")
        let json = try run([unjudged, "-o", "json"])
        #expect(json.status == 0, "\(json.stderrText)")
        let document = try CIScratch.json(json.stdoutText)
        #expect((document["policy"] as? [String: Any])?["allowNotJudged"] as? Bool == true)
        #expect((document["images"] as? [[String: Any]])?.first?["verdict"] as? String == "not-judged")
        #expect(try run([unjudged], environment: ["IMAGEAUDIT_ALLOW_NOT_JUDGED": "false"]).status == 3)
    }

    @Test("bulk: 1 beats 3, 2 beats both; text, JSON and jsonl summaries count not judged")
    func bulk() throws {
        let pass = CIScratch.image("scratch-static")
        let fail = CIScratch.image("entrypoint-missing")
        let both = try run([pass, unjudged])
        #expect(both.status == 3)
        #expect(both.stdoutText.contains("2 tarballs, 2 images: 1 passed, 0 failed, 1 not judged, 0 unreadable\n"))
        #expect(try run([pass, unjudged, fail]).status == 1)
        #expect(try run([unjudged, scratch.path("missing.tar")]).status == 2)
        #expect(try run([unjudged, fail, scratch.path("missing.tar")]).status == 2)
        let json = try run([pass, unjudged, "-o", "json"])
        let summary = try #require(try CIScratch.json(json.stdoutText)["summary"] as? [String: Any])
        #expect(summary["notJudged"] as? Int == 1 && summary["passed"] as? Int == 1 && summary["failed"] as? Int == 0)
        let lines = try run([pass, unjudged, "-o", "jsonl"]).stdoutText.split(separator: "\n")
        #expect(lines.last?.contains("\"notJudged\":1") == true, "\(lines)")
        let quiet = try run([pass, unjudged, "--quiet"]).stdoutText
        #expect(
            quiet.contains("NOT JUDGED \(unjudged) [latest]: not-judged: `exec $APP` (sh -c, line 1) is not judged"))
    }
}
