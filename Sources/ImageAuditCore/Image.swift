import ImageAuditFS
import ImageAuditOCI

/// A container image read from a tarball: what it is called, how it runs, and the merged
/// filesystem of its layers. A value: build once, share freely.
public struct Image: Sendable {
    /// The tarball it was read from, as given (`-` for standard input).
    public var source: String
    /// Its names: `RepoTags` of `docker save`, the ref-name annotations of an OCI layout.
    /// Empty for untagged images.
    public var names: [String]
    /// How the tarball is laid out (which tool wrote it).
    public var format: TarballFormat
    /// The digest of the image manifest, when the tarball has one (OCI layouts).
    public var manifestDigest: Digest?
    /// The digest of the config blob (the image ID).
    public var configDigest: Digest
    /// The image config: platform, runtime settings, diff IDs, history.
    public var config: ImageConfig
    /// The layers, bottom first.
    public var layers: [ImageLayer]
    /// Every layer applied in order, as the container sees it.
    public var tree: FileTree
    /// Layer entries that could not be applied (a real unpacker would refuse them too).
    public var mergeIssues: [MergeIssue]
    /// Manifests of the tarball that hold no image (signatures, attestations, artifacts), not
    /// audited: those about this image, or, on the first image read, those about none read.
    public var skipped: [SkippedManifest] = []

    /// The platform the config declares.
    public var platform: Platform { config.platform }

    /// The runtime settings (entrypoint, env…), empty when the config has none.
    public var runtime: RuntimeConfig { config.config ?? RuntimeConfig() }
}

/// One layer of an image, as read.
public struct ImageLayer: Sendable, Hashable {
    /// Its path in the tarball.
    public var path: String
    /// The digest of the blob as stored.
    public var digest: Digest
    /// The digest of the uncompressed tar (the config's diff ID).
    public var diffID: Digest
    /// How the blob is compressed, recognised from its bytes.
    public var compression: LayerCompression
    /// Bytes of the blob as stored.
    public var size: Int64
    /// Bytes of the uncompressed tar stream.
    public var uncompressedSize: Int64
    /// The media type its descriptor gives, when there is one.
    public var mediaType: String?
    /// How many tar entries it holds.
    public var entryCount: Int
}
