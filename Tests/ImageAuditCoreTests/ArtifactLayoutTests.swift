import ImageAuditCore
import ImageAuditOCI
import ImageAuditTestSupport
import Testing

/// OCI layouts that hold signatures, attestations, SBOMs and other artifacts beside their images
/// (issue 11): those are skipped with a note, and every image is read.
@Suite struct ArtifactLayoutTests {
    private func image(_ file: String, architecture: String = "amd64") throws -> FixtureImage {
        let layer = try FixtureLayer(compression: .gzip) { $0.add(file, .file(Array(file.utf8))) }
        return FixtureImage(names: [], architecture: architecture, layers: [layer])
    }

    private func subject(_ image: FixtureImage) -> String {
        JSONText.descriptor(
            mediaType: OCILayoutFixture.manifestType, digest: FixtureSHA256.digest(image.manifest),
            size: image.manifest.count)
    }

    /// An image tagged `latest`, with a cosign signature, a cosign attestation and an SBOM referrer.
    private func signedLayout() throws -> (tar: [UInt8], image: FixtureImage) {
        var layout = OCILayoutFixture()
        let app = try image("app")
        let digest = FixtureSHA256.digest(app.manifest)
        let entries = [
            layout.addImage(app, annotations: ["org.opencontainers.image.ref.name": "latest"], withPlatform: false),
            layout.addCosignSignature(of: digest), layout.addCosignAttestation(of: digest),
            layout.addSBOMReferrer(subject: subject(app)),
        ]
        return (ImageTarballs.write(layout.entries(index: entries)), app)
    }

    @Test("a signature, an attestation and an SBOM beside the image are skipped", arguments: ReadMode.allCases)
    func signedImage(mode: ReadMode) throws {
        let (tar, app) = try signedLayout()
        let read = try readImages(tar, mode: mode)
        let only = try #require(read.first)
        #expect(read.count == 1)
        #expect(paths(only.tree) == ["/app"])
        #expect(only.names == ["latest"])
        #expect(
            only.skipped.map(\.kind) == [
                "cosign signature", "cosign attestation (in-toto DSSE envelope)", "SBOM (application/spdx+json)",
            ])
        let digest = Digest(FixtureSHA256.digest(app.manifest))
        #expect(only.skipped.allSatisfy { $0.subject == digest })
        let hex = String(FixtureSHA256.hex(app.manifest))
        #expect(
            only.skipped.first?.note
                == "skipped \(only.skipped[0].digest.description.prefix(19)) (sha256-\(hex).sig): cosign signature "
                + "for sha256:\(hex.prefix(12)), not an image")
    }

    @Test("--image cannot pick a signature: it says what the tag is")
    func imageNamedSignature() throws {
        let (tar, app) = try signedLayout()
        let tag = "sha256-\(FixtureSHA256.hex(app.manifest)).sig"
        let messages = try readError(tar, options: ImageReader.Options(imageName: tag))
        #expect(messages.allSatisfy { $0 == "\(tag) in the tarball is a cosign signature, not an image" })
    }

    @Test("a layout of artifacts only is refused, naming them (not \"architecture is missing\")")
    func artifactsOnly() throws {
        var layout = OCILayoutFixture()
        let chart = layout.addHelmChart(tag: "0.1.0")
        let empty = layout.addManifest(
            config: (OCILayoutFixture.emptyType, Array("{}".utf8)),
            layers: [("application/vnd.example.data", Array("data".utf8))], artifactType: "application/vnd.example")
        for message in try readError(ImageTarballs.write(layout.entries(index: [chart, empty]))) {
            #expect(message.hasPrefix("index.json lists no image manifests; skipped sha256:"), "\(message)")
            #expect(message.contains(" (0.1.0): Helm chart, not an image; skipped sha256:"), "\(message)")
            #expect(message.hasSuffix(": OCI artifact (application/vnd.example), not an image"), "\(message)")
        }
    }

    @Test("an artifact named only by its index entry's artifactType is skipped unread (its blob may be absent)")
    func artifactTypeInIndex() throws {
        var layout = OCILayoutFixture()
        let app = layout.addImage(try image("app"))
        let missing = JSONText.descriptor(
            mediaType: OCILayoutFixture.manifestType, digest: "sha256:" + String(repeating: "c", count: 64), size: 10)
        let bundle = "application/vnd.dev.sigstore.bundle.v0.3+json"
        let artifact = String(missing.dropLast()) + ",\"artifactType\":\"\(bundle)\"}"
        let read = try readImages(ImageTarballs.write(layout.entries(index: [app, artifact])), mode: .streamed)
        #expect(read.count == 1)
        #expect(read.first?.skipped.map(\.kind) == ["sigstore bundle (application/vnd.dev.sigstore.bundle.v0.3+json)"])
    }

    @Test("several tagged images in one layout are several images; --image picks by ref name")
    func taggedImages() throws {
        var layout = OCILayoutFixture()
        let entries = [
            layout.addImage(try image("one"), annotations: ["org.opencontainers.image.ref.name": "v1"]),
            layout.addImage(try image("two"), annotations: ["org.opencontainers.image.ref.name": "v2"]),
            layout.addHelmChart(tag: "chart"),
        ]
        let tar = ImageTarballs.write(layout.entries(index: entries))
        let all = try readImages(tar, mode: .randomAccess)
        #expect(all.map(\.names) == [["v1"], ["v2"]])
        #expect(all.map { $0.skipped.map(\.kind) } == [["Helm chart"], []])
        let second = try readImages(tar, mode: .streamed, options: ImageReader.Options(imageName: "v2"))
        #expect(second.flatMap { paths($0.tree) } == ["/two"])
        let message = try readError(tar, options: ImageReader.Options(imageName: "v3"))
        #expect(message.allSatisfy { $0 == "no image named v3 in the tarball; it has v1, v2" })
    }

    @Test("--platform errors list the platforms of images, never a signature's empty one")
    func platformErrorWithoutEmptyEntries() throws {
        var layout = OCILayoutFixture()
        let arm = try image("arm", architecture: "arm64")
        let entries = [
            layout.addImage(arm, withPlatform: false),
            layout.addCosignSignature(of: FixtureSHA256.digest(arm.manifest), tagged: false),
        ]
        let tar = ImageTarballs.write(layout.entries(index: entries))
        for message in try readError(tar, options: ImageReader.Options(platform: .linuxAMD64)) {
            #expect(message == "no image for linux/amd64 in index.json; it has linux/arm64 (choose with --platform)")
        }
    }

    @Test("buildx attestations in a nested index are noted on the image they are about")
    func buildxAttestation() throws {
        var layout = OCILayoutFixture()
        let amd = try image("amd")
        let statement = Array("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}".utf8)
        let attestation = layout.addManifest(
            config: (OCILayoutFixture.imageConfigType, Array("{\"architecture\":\"unknown\",\"os\":\"unknown\"}".utf8)),
            layers: [("application/vnd.in-toto+json", statement)],
            platform: "{\"architecture\":\"unknown\",\"os\":\"unknown\"}",
            annotations: [
                "vnd.docker.reference.digest": FixtureSHA256.digest(amd.manifest),
                "vnd.docker.reference.type": "attestation-manifest",
            ])
        let nested = layout.addIndex(
            [layout.addImage(amd), attestation], annotations: ["org.opencontainers.image.ref.name": "latest"])
        let read = try readImages(ImageTarballs.write(layout.entries(index: [nested])), mode: .randomAccess)
        let only = try #require(read.first)
        #expect(only.names == ["latest"])
        #expect(only.skipped.map(\.kind) == ["build attestation"])
        #expect(only.skipped.first?.names == [])
        #expect(only.skipped.first?.subject == only.manifestDigest)
    }
}
