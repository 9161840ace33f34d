import Foundation
import ImageAuditTestSupport
import Testing

/// `imageaudit` against the kernel: for every TestImages image, the verdict, the first error's
/// code and the message must be what `scripts/oracle.sh` saw when runc really started it
/// (TestImages/expected.tsv), except the images listed in `notJudged`.
@Suite struct AuditOracleTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        var image: String
        var verdict: String
        var code: String
        var message: String
        /// `-` (no HEALTHCHECK), `ok`, or `healthcheck-broken`; with what the oracle saw.
        var healthcheck: String
        var healthcheckMessage: String
        var testDescription: String { image }
    }

    static let expectations: [Expectation] = {
        let path = Fixtures.root.appendingPathComponent("TestImages/expected.tsv").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { return nil }
            return Expectation(
                image: fields[0], verdict: fields[1], code: fields[2], message: fields[3],
                healthcheck: fields.count > 4 ? fields[4] : "-", healthcheckMessage: fields.count > 5 ? fields[5] : "")
        }
    }()

    /// Where the audit's wording deliberately differs from runc's.
    static let messageDifferences: [String: String] = [
        // Docker's daemon refuses first, in its own words; the oracle runs runc directly.
        "no-entrypoint": "no command specified",
        // tini prints its child's pid, which no static audit can know.
        "tini-exec-missing": "[FATAL tini (PID)] exec /app/server failed: No such file or directory",
    ]

    /// Images whose start the audit cannot judge statically: verdict `not-judged`, exit 3, no
    /// error. An oracle `pass` is allowed here; an oracle `fail` only with the reason the audit
    /// cannot see it (never `pass`).
    static let notJudged: [String: String] = [
        "shell-read-command": "the command word is read from /app/command at run time (`read -r APP`)",
        "shell-read-command-missing":
            "the command word is read from /app/command at run time: that it names a missing program is not seen",
    ]

    @Test("the TestImages oracle's table is there; every not-judged image is in it") func tableExists() {
        #expect(Self.expectations.count >= 40)
        let images = Set(Self.expectations.map(\.image))
        #expect(Self.notJudged.keys.allSatisfy(images.contains), "\(Self.notJudged.keys.sorted())")
    }

    @Test("verdict, code, message and healthcheck match the oracle", arguments: expectations)
    func matchesOracle(_ expected: Expectation) throws {
        let tarball = Fixtures.root.appendingPathComponent("TestImages/\(expected.image).tar").path
        let result = try BuiltCLI.run(["--format", "jsonl", tarball])
        let line = try #require(result.stdoutText.split(separator: "\n").first, "\(result.stderrText)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let image = try #require(document["image"] as? [String: Any])
        let findings = try #require(image["findings"] as? [[String: Any]])
        let firstError = findings.first { $0["severity"] as? String == "error" }
        let code = firstError?["code"] as? String ?? "-"
        let message = (firstError?["message"] as? String ?? "").split(whereSeparator: \.isWhitespace).joined(
            separator: " ")

        let health = findings.first { $0["code"] as? String == "healthcheck-broken" }
        func check() {
            switch expected.healthcheck {
            case "-": #expect((image["checks"] as? [String])?.contains("healthcheck") == false)
            case "ok": #expect(health == nil)
            default:
                // The oracle appends the exit status of the failed exec: " (exit status 1)".
                let seen =
                    expected.healthcheckMessage.range(of: " (exit status ", options: .backwards)
                    .map { String(expected.healthcheckMessage[..<$0.lowerBound]) } ?? expected.healthcheckMessage
                #expect(health?["message"] as? String == seen)
            }
            if Self.notJudged[expected.image] != nil {
                #expect(image["verdict"] as? String == "not-judged")
                #expect(code == "-" && result.status == 3)
                #expect(
                    findings.contains {
                        $0["code"] as? String == "not-judged" && $0["check"] as? String == "entrypoint"
                    })
                return
            }
            #expect(image["verdict"] as? String == expected.verdict)
            #expect(code == expected.code)
            if expected.verdict == "fail" {
                #expect(message == (Self.messageDifferences[expected.image] ?? expected.message))
            }
            #expect(result.status == (expected.verdict == "pass" ? 0 : 1))
        }
        check()
    }
}
