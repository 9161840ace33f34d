import ImageAuditOCI

/// How an image tarball is laid out, as recognised from its documents.
public enum TarballFormat: String, Sendable, Hashable, Codable {
    /// `docker save` of Docker 24 and older: `manifest.json`, `<id>/layer.tar`, `<id>.json`.
    case dockerSave = "docker-save"
    /// `docker save` of Docker 25 and newer: an OCI image layout plus `manifest.json`.
    case dockerSaveOCI = "docker-save-oci"
    /// skopeo's or podman's `docker-archive`: `<diff-id>.tar` layers at the top level.
    case dockerArchive = "docker-archive"
    /// kaniko's tarballs: `<digest>.tar.gz` layers and a config named `sha256:<hex>`.
    case kaniko
    /// An OCI image layout (`oci-layout`, `index.json`, `blobs/`), e.g. buildkit's OCI exporter.
    case ociLayout = "oci-layout"
    /// Read from a registry through the distribution API (`docker://HOST/REPO:TAG`).
    case registry
}

/// A blob an image needs, and what it must hash to.
struct BlobReference: Sendable {
    /// The path named by a manifest (before links are followed), for messages.
    var path: String
    var entry: OuterEntry
    /// The digest the stored bytes must have (a descriptor's, or a content-addressed path's).
    var digest: Digest?
    /// The size a descriptor gives.
    var size: Int64?
    var mediaType: String?
}

/// An image found in a tarball, before its config and layers are read.
struct ImagePlan: Sendable {
    var names: [String]
    var format: TarballFormat
    /// The manifest's digest, for OCI layouts.
    var manifestDigest: Digest?
    var config: BlobReference
    var layers: [BlobReference]
    /// The platform an index gave this manifest, when it did.
    var indexPlatform: Platform?
}

/// Digests that tarball paths carry in their names.
enum BlobNaming {
    /// `blobs/<algorithm>/<hex>`: the OCI layout stores blobs by the digest of their bytes.
    static func contentAddress(_ path: String) -> Digest? {
        let parts = path.split(separator: "/")
        guard parts.count == 3, parts[0] == "blobs" else { return nil }
        return Digest("\(parts[1]):\(parts[2])")
    }
}
