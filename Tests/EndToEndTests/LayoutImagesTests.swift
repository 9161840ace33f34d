import Foundation
import ImageAuditTestSupport
import Testing

/// The TestImages of real tools' layouts (scripts/lib/images_layouts.py) as a user meets them:
/// the notes on skipped manifests, `--image` by ref name, `--platform` errors. Verdicts are
/// AuditOracleTests' (TestImages/expected.tsv).
@Suite struct LayoutImagesTests {
    private func tarball(_ name: String) -> String {
        Fixtures.root.appendingPathComponent("TestImages/\(name).tar").path
    }

    private func images(_ arguments: [String]) throws -> (status: Int32, images: [[String: Any]], stderr: String) {
        let result = try BuiltCLI.run(["--format", "json"] + arguments)
        let document = try JSONSerialization.jsonObject(with: Data(result.stdoutText.utf8)) as? [String: Any]
        return (result.status, document?["images"] as? [[String: Any]] ?? [], result.stderrText)
    }

    @Test("a signed image: one image audited, the signature, attestation and SBOM noted in JSON and text")
    func signed() throws {
        let (status, images, stderr) = try images([tarball("layout-cosign-signed")])
        #expect(status == 0, "\(stderr)")
        let notes = try #require(images.first?["notes"] as? [String])
        #expect(images.count == 1)
        #expect(notes.count == 3)
        #expect(notes[0].contains(".sig): cosign signature for sha256:"))
        #expect(notes[1].contains(".att): cosign attestation (in-toto DSSE envelope) for sha256:"))
        #expect(notes[2].contains(": SBOM (application/spdx+json) for sha256:"))
        let text = try BuiltCLI.run([tarball("layout-cosign-signed")]).stdoutText
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("  note: skipped sha256:") }.count == 3)
    }

    @Test("two tagged images and a Helm chart: both images in index order, --image picks one")
    func twoTags() throws {
        let all = try images([tarball("layout-two-tags")])
        #expect(all.images.map { $0["names"] as? [String] ?? [] } == [["v1"], ["v2"]])
        #expect(all.images.map { $0["argv"] as? [String] ?? [] } == [["/hello"], ["/opt/hello"]])
        let notes = all.images.first?["notes"] as? [String] ?? []
        #expect(notes.first?.hasSuffix("(chart-0.1.0): Helm chart, not an image") == true, "\(notes)")
        let v2 = try images(["--image", "v2", tarball("layout-two-tags")])
        #expect(v2.images.map { $0["argv"] as? [String] ?? [] } == [["/opt/hello"]])
        let chart = try BuiltCLI.run(["--image", "chart-0.1.0", tarball("layout-two-tags")])
        #expect(chart.status == 2)
        let refusal = "chart-0.1.0 in the tarball is a Helm chart, not an image"
        #expect(chart.stderrText.contains(refusal), "\(chart.stderrText)")
    }

    @Test("buildx attestations: --platform errors list the images' platforms, not unknown/unknown")
    func buildxPlatforms() throws {
        let result = try BuiltCLI.run(["--platform", "linux/s390x", tarball("layout-buildx-attestations")])
        #expect(result.status == 2)
        #expect(
            result.stderrText.contains(
                "no image for linux/s390x in index.json; it has linux/amd64, linux/arm64 (choose with --platform)"),
            "\(result.stderrText)")
        let arm = try images(["--platform", "linux/arm64", tarball("layout-buildx-attestations")])
        #expect(arm.images.map { $0["platform"] as? String } == ["linux/arm64"])
        #expect((arm.images.first?["notes"] as? [String])?.count == 2)
    }
}
