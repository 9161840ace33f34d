import Foundation
import ImageAuditTestSupport
import Testing

/// `inspect` and the audit read an image's identity once, the same way: on every TestImage the
/// distribution and C library `inspect --format json` shows are those of the audit's JSON.
@Suite struct IdentityAgreementTests {
    static let images: [String] = AuditOracleTests.expectations.map(\.image)

    @Test("inspect and the audit agree on distribution and libc", arguments: images)
    func agree(_ name: String) throws {
        let tarball = Fixtures.root.appendingPathComponent("TestImages/\(name).tar").path
        let inspected = try BuiltCLI.run(["inspect", "--format", "json", tarball])
        let inspect = try #require(
            ((try JSONSerialization.jsonObject(with: Data(inspected.stdoutText.utf8)) as? [String: Any])?["images"]
                as? [[String: Any]])?.first, "\(inspected.stderrText)")
        let audited = try BuiltCLI.run(["--format", "jsonl", tarball])
        let line = try #require(audited.stdoutText.split(separator: "\n").first, "\(audited.stderrText)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let os = try #require((document["image"] as? [String: Any])?["os"] as? [String: Any])
        let distribution = inspect["distribution"] as? [String: Any]
        #expect(distribution?["id"] as? String == os["id"] as? String)
        #expect(distribution?["versionID"] as? String == os["versionID"] as? String)
        #expect(inspect["libc"] as? String == os["libc"] as? String)
        #expect(inspect["glibcCompat"] as? Bool == os["glibcCompat"] as? Bool)
    }
}
