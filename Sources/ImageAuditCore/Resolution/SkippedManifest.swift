import ImageAuditOCI

/// A manifest of an OCI layout that holds no image (a signature, an attestation, an SBOM, a
/// Helm chart, another artifact) and so was not audited. Reported as a one-line note.
public struct SkippedManifest: Sendable, Hashable {
    /// The manifest's digest.
    public var digest: Digest
    /// Its names in index.json (a cosign tag such as `sha256-<hex>.sig`), if any.
    public var names: [String]
    /// What it is, e.g. `cosign signature`, `SBOM (application/spdx+json)`.
    public var kind: String
    /// The image it is about, when it says (`subject`, a cosign tag, buildx's annotation).
    public var subject: Digest?

    /// `skipped sha256:0123456789ab (sha256-….sig): cosign signature for sha256:…, not an image`.
    public var note: String {
        let names = names.isEmpty ? "" : " (" + names.joined(separator: ", ") + ")"
        let about = subject.map { " for \(Self.short($0))" } ?? ""
        return "skipped \(Self.short(digest))\(names): \(kind)\(about), not an image"
    }

    /// `sha256:` and the first 12 hex digits, as `docker images` shortens IDs.
    static func short(_ digest: Digest) -> String { "\(digest.algorithm):\(digest.encoded.prefix(12))" }
}

/// What the documents of a tarball describe: the images to read and the manifests skipped.
struct TarballPlans: Sendable {
    var images: [ImagePlan]
    var skipped: [SkippedManifest] = []
}
