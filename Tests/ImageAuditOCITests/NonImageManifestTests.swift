import FoundationEssentials
import ImageAuditOCI
import Testing

/// Which manifests hold no image, by the marks the specs and tools give them.
@Suite struct NonImageManifestTests {
    private let hex = String(repeating: "ab", count: 32)

    private func manifest(config: String, layers: [String], artifactType: String? = nil) throws -> Manifest {
        let layerJSON = layers.map { "{\"mediaType\":\"\($0)\",\"digest\":\"sha256:\(hex)\",\"size\":1}" }
        let artifact = artifactType.map { ",\"artifactType\":\"\($0)\"" } ?? ""
        let json =
            "{\"schemaVersion\":2\(artifact),\"config\":{\"mediaType\":\"\(config)\","
            + "\"digest\":\"sha256:\(hex)\",\"size\":2},\"layers\":[\(layerJSON.joined(separator: ","))]}"
        return try JSONDecoder().decode(Manifest.self, from: Data(json.utf8))
    }

    @Test("images: an OCI or Docker image config with filesystem layers (any compression, foreign, none)")
    func images() throws {
        let layers = [
            MediaType.ociLayerZstd, MediaType.dockerLayerGzip, MediaType.dockerForeignLayerGzip,
            "application/vnd.oci.image.layer.v1.tar+gzip+encrypted",
        ]
        #expect(NonImageManifest.kind(of: try manifest(config: MediaType.ociConfig, layers: layers)) == nil)
        #expect(NonImageManifest.kind(of: try manifest(config: MediaType.dockerConfig, layers: [])) == nil)
    }

    @Test(
        "signatures, attestations and artifacts, from the manifest",
        arguments: [
            (MediaType.ociConfig, ["application/vnd.dev.cosign.simplesigning.v1+json"], nil, "cosign signature"),
            (
                MediaType.ociConfig, ["application/vnd.dsse.envelope.v1+json"], nil,
                "cosign attestation (in-toto DSSE envelope)"
            ),
            (MediaType.ociConfig, ["application/vnd.in-toto+json"], nil, "build attestation (in-toto)"),
            (MediaType.ociEmpty, ["application/spdx+json"], "application/spdx+json", "SBOM (application/spdx+json)"),
            (
                MediaType.ociEmpty, ["application/vnd.cyclonedx+json"], "application/vnd.cyclonedx+json",
                "SBOM (application/vnd.cyclonedx+json)"
            ),
            (
                "application/vnd.cncf.helm.config.v1+json", ["application/vnd.cncf.helm.chart.content.v1.tar+gzip"],
                nil,
                "Helm chart"
            ),
            (MediaType.ociEmpty, [], nil, "OCI artifact (empty config)"),
            (
                "application/vnd.sylabs.sif.config.v1+json", ["application/vnd.sylabs.sif.layer.v1.sif"], nil,
                "artifact (config application/vnd.sylabs.sif.config.v1+json)"
            ),
            (
                MediaType.ociConfig, ["application/vnd.wasm.content.layer.v1+wasm"], nil,
                "artifact (layer application/vnd.wasm.content.layer.v1+wasm)"
            ),
            (
                MediaType.ociConfig, [MediaType.ociLayerGzip], "application/vnd.example",
                "OCI artifact (application/vnd.example)"
            ),
        ] as [(String, [String], String?, String)])
    func artifacts(config: String, layers: [String], artifactType: String?, kind: String) throws {
        let manifest = try manifest(config: config, layers: layers, artifactType: artifactType)
        #expect(NonImageManifest.kind(of: manifest) == kind)
    }

    @Test("from an index entry alone: buildx's annotation, unknown/unknown, artifactType, an unknown media type")
    func descriptors() throws {
        let digest = try #require(Digest("sha256:\(hex)"))
        var entry = Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: 1)
        #expect(NonImageManifest.kind(of: entry) == nil)
        entry.annotations = ["vnd.docker.reference.type": "attestation-manifest"]
        #expect(NonImageManifest.kind(of: entry) == "build attestation")
        entry.annotations = nil
        entry.platform = Platform(os: "unknown", architecture: "unknown")
        #expect(NonImageManifest.kind(of: entry) == "build attestation (platform unknown/unknown)")
        entry.platform = nil
        entry.artifactType = "application/vnd.dev.sigstore.bundle.v0.3+json"
        #expect(NonImageManifest.kind(of: entry) == "sigstore bundle (application/vnd.dev.sigstore.bundle.v0.3+json)")
        let withdrawn = Descriptor(mediaType: "application/vnd.oci.artifact.manifest.v1+json", digest: digest, size: 1)
        let words = "a document of media type application/vnd.oci.artifact.manifest.v1+json"
        #expect(NonImageManifest.kind(of: withdrawn) == words)
        #expect(NonImageManifest.kind(of: Descriptor(mediaType: "", digest: digest, size: 1)) == nil)
    }

    @Test("the image it is about: subject, buildx's reference digest, cosign's sha256-<hex>.sig tag")
    func subjects() throws {
        let digest = try #require(Digest("sha256:\(hex)"))
        let plain = Descriptor(mediaType: MediaType.ociManifest, digest: digest, size: 1)
        for name in ["sha256-\(hex).sig", "sha256-\(hex).att", "registry.example:5000/app:sha256-\(hex).sbom"] {
            #expect(NonImageManifest.subject(descriptor: plain, manifest: nil, names: [name]) == digest, "\(name)")
        }
        #expect(NonImageManifest.subject(descriptor: plain, manifest: nil, names: ["latest", "sha256-abc.sig"]) == nil)
        let buildx = Descriptor(
            mediaType: MediaType.ociManifest, digest: digest, size: 1,
            annotations: ["vnd.docker.reference.digest": digest.description])
        #expect(NonImageManifest.subject(descriptor: buildx, manifest: nil, names: []) == digest)
    }
}
