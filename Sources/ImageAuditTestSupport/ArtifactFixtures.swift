/// Manifests that are not images, written to the published formats: cosign's signatures and
/// attestations (SIGNATURE_SPEC.md, ATTESTATION_SPEC.md), OCI 1.1 artifacts and referrers
/// (image-spec manifest.md), Helm charts, buildx attestation manifests (attestation-storage.md).
extension OCILayoutFixture {
    public static let manifestType = "application/vnd.oci.image.manifest.v1+json"
    public static let imageConfigType = "application/vnd.oci.image.config.v1+json"
    public static let emptyType = "application/vnd.oci.empty.v1+json"

    /// Stores a manifest over a config blob and layer blobs; returns its descriptor (with
    /// `artifactType` in the descriptor too when `artifactTypeInIndex`, as oras writes it).
    public mutating func addManifest(
        config: (mediaType: String, bytes: [UInt8]), layers: [(mediaType: String, bytes: [UInt8])],
        artifactType: String? = nil, subject: String? = nil, artifactTypeInIndex: Bool = false,
        platform: String? = nil, annotations: [String: String] = [:]
    ) -> String {
        let configDescriptor = JSONText.descriptor(
            mediaType: config.mediaType, digest: addBlob(config.bytes), size: config.bytes.count)
        let layerDescriptors = layers.map { layer in
            JSONText.descriptor(mediaType: layer.mediaType, digest: addBlob(layer.bytes), size: layer.bytes.count)
        }
        var fields = ["\"schemaVersion\":2", "\"mediaType\":\(JSONText.string(Self.manifestType))"]
        if let artifactType { fields.append("\"artifactType\":\(JSONText.string(artifactType))") }
        fields.append("\"config\":\(configDescriptor)")
        fields.append("\"layers\":[\(layerDescriptors.joined(separator: ","))]")
        if let subject { fields.append("\"subject\":\(subject)") }
        let manifest = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        let descriptor = JSONText.descriptor(
            mediaType: Self.manifestType, digest: addBlob(manifest), size: manifest.count, platform: platform,
            annotations: annotations)
        guard artifactTypeInIndex, let artifactType else { return descriptor }
        return String(descriptor.dropLast()) + ",\"artifactType\":\(JSONText.string(artifactType))}"
    }

    /// cosign's config for its signature and attestation manifests: an image config of nothing.
    public static func cosignConfig(payloadDigest: String) -> [UInt8] {
        Array(
            ("{\"architecture\":\"\",\"created\":\"0001-01-01T00:00:00Z\",\"history\":[{\"created\":"
                + "\"0001-01-01T00:00:00Z\"}],\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + "\(JSONText.string(payloadDigest))]},\"config\":{}}").utf8)
    }

    /// A cosign signature of the manifest `digest`, tagged `sha256-<hex>.sig` when `tagged`.
    public mutating func addCosignSignature(of digest: String, tagged: Bool = true) -> String {
        let payload = Array(
            ("{\"critical\":{\"identity\":{\"docker-reference\":\"example/app\"},\"image\":{\"docker-manifest-"
                + "digest\":\(JSONText.string(digest))},\"type\":\"cosign container image signature\"},"
                + "\"optional\":null}").utf8)
        let tag = "sha256-" + digest.dropFirst("sha256:".count) + ".sig"
        return addManifest(
            config: (Self.imageConfigType, Self.cosignConfig(payloadDigest: FixtureSHA256.digest(payload))),
            layers: [("application/vnd.dev.cosign.simplesigning.v1+json", payload)],
            annotations: tagged ? ["org.opencontainers.image.ref.name": tag] : [:])
    }

    /// A cosign attestation (DSSE envelope) of the manifest `digest`, tagged `sha256-<hex>.att`.
    public mutating func addCosignAttestation(of digest: String) -> String {
        let envelope = Array(
            "{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[]}".utf8)
        return addManifest(
            config: (Self.imageConfigType, Self.cosignConfig(payloadDigest: FixtureSHA256.digest(envelope))),
            layers: [("application/vnd.dsse.envelope.v1+json", envelope)],
            annotations: ["org.opencontainers.image.ref.name": "sha256-" + digest.dropFirst("sha256:".count) + ".att"])
    }

    /// An SPDX SBOM attached to `subject` (a descriptor) as an OCI 1.1 referrer.
    public mutating func addSBOMReferrer(subject: String) -> String {
        addManifest(
            config: (Self.emptyType, Array("{}".utf8)),
            layers: [("application/spdx+json", Array("{\"spdxVersion\":\"SPDX-2.3\"}".utf8))],
            artifactType: "application/spdx+json", subject: subject, artifactTypeInIndex: true)
    }

    /// A Helm chart as `helm push` stores it.
    public mutating func addHelmChart(tag: String) -> String {
        addManifest(
            config: (
                "application/vnd.cncf.helm.config.v1+json", Array("{\"name\":\"demo\",\"version\":\"0.1.0\"}".utf8)
            ),
            layers: [("application/vnd.cncf.helm.chart.content.v1.tar+gzip", [0x1f, 0x8b, 8, 0])],
            annotations: ["org.opencontainers.image.ref.name": tag])
    }
}
