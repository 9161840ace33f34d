import Foundation
import ImageAuditTestSupport
import Testing

/// What a platform team's registry holds besides images, against the real docker-registry:
/// repositories with no tags and tags that are OCI artifacts. In a catalog or every-tag run each
/// is a note and counts as skipped; named alone, each is an error (exit 2).
@Suite(.serialized, .enabled(if: RegistryHarness.available, Comment(rawValue: RegistryHarness.skipReason)))
struct RegistryInventoryTests {
    static let sbomType = "application/spdx+json"

    /// `inv/app:v1` an image and `inv/app:sbom` an SBOM artifact; `inv/broken` a push that failed
    /// after its blob (in the catalog, its tag list 404 NAME_UNKNOWN); `inv/gone` a repository
    /// whose only tag was deleted (its tag list `"tags": null`).
    private func inventory() throws -> RegistryHarness {
        let registry = try RegistryHarness()
        try registry.push("alpine-musl-app", as: "inv/app:v1")
        try registry.pushArtifact("inv/app", tag: "sbom", artifactType: Self.sbomType)
        _ = try registry.uploadBlob(Array("a layer of a push that failed".utf8), to: "inv/broken")
        let gone = try registry.pushArtifact("inv/gone", tag: "old", artifactType: Self.sbomType)
        #expect(try registry.request("DELETE", "/v2/inv/gone/manifests/\(gone)").status == 202)
        // The registry's own answers, which the behaviour below rests on.
        #expect(try registry.request("GET", "/v2/inv/broken/tags/list").status == 404)
        #expect(try registry.request("GET", "/v2/inv/gone/tags/list").status == 200)
        return registry
    }

    @Test func catalogSkipsTaglessRepositoriesAndArtifactsWithANote() throws {
        let registry = try inventory()
        defer { registry.stop() }
        let host = registry.host
        let text = try BuiltCLI.run(["docker://\(host)/"], environment: [:])
        #expect(text.status == 0, "\(text.stderrText)")
        #expect(RegistryReports.lines(text.stderrText, "error:").isEmpty, "\(text.stderrText)")
        #expect(
            Set(RegistryReports.lines(text.stderrText, "note:")) == [
                "note: docker://\(host)/inv/broken: no tags: skipped",
                "note: docker://\(host)/inv/gone: no tags: skipped",
                "note: docker://\(host)/inv/app:sbom: not an image (SBOM (\(Self.sbomType))): skipped",
            ])
        #expect(
            text.stdoutText.contains(
                "4 references, 1 image: 1 passed, 0 failed, 0 not judged, 0 unreadable, 3 skipped\n"),
            "\(text.stdoutText)")

        let jsonl = try BuiltCLI.run(["docker://\(host)/", "--format", "jsonl"], environment: [:])
        let lines = try jsonl.stdoutText.split(separator: "\n").map { try CIScratch.json(String($0)) }
        let skipped = lines.compactMap { $0["skipped"] as? [String: Any] }
        #expect(skipped.map { $0["source"] as? String } == ["docker://\(host)/inv/app:sbom"])
        let summary = try #require(lines.last?["summary"] as? [String: Any])
        #expect(summary["skipped"] as? Int == 3 && summary["images"] as? Int == 1 && summary["unreadable"] as? Int == 0)

        let tags = try BuiltCLI.run(["docker://\(host)/inv/app"], environment: [:])
        #expect(tags.status == 0, "\(tags.stderrText)")
        #expect(tags.stdoutText.contains("2 references, 1 image: 1 passed"), "\(tags.stdoutText)")

        let mixed = try BuiltCLI.run(
            ["docker://\(host)/inv/app", CIScratch.image("alpine-musl-app")], environment: [:])
        #expect(mixed.stdoutText.contains("3 inputs, 2 images: 2 passed"), "\(mixed.stdoutText)")
    }

    @Test func taglessRepositoryOrArtifactNamedAloneIsAnError() throws {
        let registry = try inventory()
        defer { registry.stop() }
        let host = registry.host
        let broken = try BuiltCLI.run(["docker://\(host)/inv/broken"], environment: [:])
        #expect(broken.status == 2)
        #expect(
            broken.stderrText
                == "error: docker://\(host)/inv/broken: no tags (the registry does not know the repository: HTTP 404)\n"
        )
        let gone = try BuiltCLI.run(["docker://\(host)/inv/gone"], environment: [:])
        #expect(gone.status == 2)
        #expect(gone.stderrText == "error: docker://\(host)/inv/gone: no tags\n")
        let artifact = try BuiltCLI.run(["docker://\(host)/inv/app:sbom"], environment: [:])
        #expect(artifact.status == 2)
        let errors = RegistryReports.lines(artifact.stderrText, "error:")
        #expect(errors.count == 1 && artifact.stderrText.split(separator: "\n").count == 1, "\(artifact.stderrText)")
        #expect(errors.first?.contains("SBOM (\(Self.sbomType)), not an image") == true, "\(artifact.stderrText)")
    }
}
