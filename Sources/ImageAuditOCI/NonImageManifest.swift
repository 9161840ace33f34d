// Sources: https://github.com/opencontainers/image-spec/blob/main/manifest.md (artifactType,
// "Guidelines for Artifact Usage", subject), artifacts-guidance.md, index.md (artifactType on
// index entries); cosign's SIGNATURE_SPEC.md and ATTESTATION_SPEC.md; buildx's attestation storage
// (docs/attestations/attestation-storage.md in moby/buildkit).

/// Manifests that share the image manifest format but hold no runnable image: cosign
/// signatures and attestations, buildx's build attestations, SBOMs, Helm charts and other OCI
/// artifacts. Each function returns what the manifest is, in a few words, or nil for an image.
public enum NonImageManifest {
    /// cosign's signature layer (the "simple signing" payload).
    public static let cosignSignatureLayer = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// cosign's attestation layer: a DSSE envelope around an in-toto statement.
    public static let dsseEnvelopeLayer = "application/vnd.dsse.envelope.v1+json"
    /// buildx's attestation layers: bare in-toto statements.
    public static let inTotoLayer = "application/vnd.in-toto+json"
    /// Helm's chart config (charts pushed with `helm push`).
    public static let helmConfig = "application/vnd.cncf.helm.config.v1+json"
    /// The index annotation buildx puts on its attestation manifests.
    public static let dockerReferenceType = "vnd.docker.reference.type"
    /// The index annotation naming the image a buildx attestation is about.
    public static let dockerReferenceDigest = "vnd.docker.reference.digest"

    /// Judged from an index entry alone, before the manifest is read: its blob may be absent
    /// (exports of one platform leave the attestations of others out).
    public static func kind(of descriptor: Descriptor) -> String? {
        if descriptor.annotations?[dockerReferenceType] == "attestation-manifest" { return "build attestation" }
        if let platform = descriptor.platform, platform.os == "unknown", platform.architecture == "unknown" {
            return "build attestation (platform unknown/unknown)"
        }
        if let type = descriptor.artifactType, !type.isEmpty { return artifact(type) }
        let type = descriptor.mediaType
        // The index spec: a media type unknown to the implementation is ignored, not an error.
        if !type.isEmpty, !MediaType.isManifest(type), !MediaType.isIndex(type) {
            return "a document of media type \(type)"
        }
        return nil
    }

    /// Judged from the manifest: `artifactType`, a config that is not an image config, or
    /// layers that are not filesystems (cosign and buildx keep the image config media type and
    /// mark their payload in the layers' media types instead).
    public static func kind(of manifest: Manifest) -> String? {
        let layers = manifest.layers.map(\.mediaType)
        if layers.contains(cosignSignatureLayer) { return "cosign signature" }
        if layers.contains(dsseEnvelopeLayer) { return "cosign attestation (in-toto DSSE envelope)" }
        if layers.contains(inTotoLayer) { return "build attestation (in-toto)" }
        if let type = manifest.artifactType, !type.isEmpty { return artifact(type) }
        let config = manifest.config.mediaType
        if config == helmConfig { return "Helm chart" }
        if config == MediaType.ociEmpty { return "OCI artifact (empty config)" }
        if !config.isEmpty, !MediaType.isImageConfig(config) { return "artifact (config \(config))" }
        if let other = layers.first(where: { !$0.isEmpty && !MediaType.isLayer($0) }) {
            return "artifact (layer \(other))"
        }
        return nil
    }

    /// Words for an `artifactType`.
    static func artifact(_ type: String) -> String {
        if type.hasPrefix("application/vnd.dev.sigstore.bundle") { return "sigstore bundle (\(type))" }
        if type.hasPrefix("application/spdx") || type.hasPrefix("text/spdx") { return "SBOM (\(type))" }
        if type.hasPrefix("application/vnd.cyclonedx") { return "SBOM (\(type))" }
        if type == helmConfig { return "Helm chart" }
        return "OCI artifact (\(type))"
    }

    /// The image a signature, attestation or referrer is about, when it says: the manifest's
    /// `subject`, buildx's `vnd.docker.reference.digest`, or cosign's tag `sha256-<hex>.sig`
    /// (`.att`, `.sbom`).
    public static func subject(descriptor: Descriptor, manifest: Manifest?, names: [String]) -> Digest? {
        if let subject = manifest?.subject?.digest { return subject }
        if let text = descriptor.annotations?[dockerReferenceDigest], let digest = Digest(text) { return digest }
        for name in names {
            let tag = name.split(separator: ":").last.map(String.init) ?? name
            for suffix in [".sig", ".att", ".sbom"] where tag.hasPrefix("sha256-") && tag.hasSuffix(suffix) {
                if let digest = Digest("sha256:" + tag.dropFirst("sha256-".count).dropLast(suffix.count)) {
                    return digest
                }
            }
        }
        return nil
    }
}
