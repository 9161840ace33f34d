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

    /// skopeo as the writer: `skopeo copy` of two tags and of a cosign signature into one `oci:`
    /// directory (it copies the signature like any manifest), tarred with `tar -C DIR -cf - .`.
    @Test(
        "a layout skopeo wrote: three tags and a signature copied in, every image read once",
        .enabled(if: Subprocess.find(["/usr/bin/skopeo"]) != nil, "needs skopeo (apt-get install skopeo)"))
    func skopeoWritten() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imageaudit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let layout = directory.appendingPathComponent("oci").path
        let index = try Subprocess.run("/usr/bin/tar", ["-xOf", tarball("layout-cosign-signed"), "index.json"]).stdout
        let manifests = try #require(
            (try JSONSerialization.jsonObject(with: Data(index.utf8)) as? [String: Any])?["manifests"]
                as? [[String: Any]])
        let signature = try #require(
            manifests.compactMap { ($0["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"] }
                .first { $0.hasSuffix(".sig") })
        let copies = [
            ("layout-two-tags", "v1"), ("layout-two-tags", "v2"), ("layout-cosign-signed", "latest"),
            ("layout-cosign-signed", signature),
        ]
        for (image, tag) in copies {
            let copy = try Subprocess.run(
                "/usr/bin/skopeo", ["copy", "--quiet", "oci-archive:\(tarball(image)):\(tag)", "oci:\(layout):\(tag)"])
            try #require(copy.status == 0, "\(copy.stderr)")
        }
        let archive = directory.appendingPathComponent("layout.tar").path
        let tar = try Subprocess.run("/usr/bin/tar", ["-C", layout, "-cf", archive, "."])
        try #require(tar.status == 0, "\(tar.stderr)")
        let (status, images, stderr) = try images([archive])
        #expect(status == 0, "\(stderr)")
        // v1 and the signed image are the same manifest (same layer, same config): one image.
        #expect(images.map { $0["names"] as? [String] ?? [] } == [["v1", "latest"], ["v2"]])
        let notes = images.map { $0["notes"] as? [String] ?? [] }
        #expect(notes.count == 2 && notes[1].isEmpty, "\(notes)")
        #expect(
            notes[0].count == 1 && notes[0].first?.contains("(\(signature)): cosign signature for") == true, "\(notes)")
    }
}
