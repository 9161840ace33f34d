// Source: https://github.com/opencontainers/image-spec/blob/main/media-types.md
// and Docker's image manifest v2 schema 2.

/// Media types of the documents and blobs found in image tarballs.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let ociLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    public static let ociLayerNondistributableGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    public static let ociLayerNondistributableZstd = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"

    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// Not in any spec, but written by BuildKit (stereoscope#486).
    public static let dockerLayerZstd = "application/vnd.docker.image.rootfs.diff.tar.zstd"

    /// The empty descriptor's media type: the config of an OCI 1.1 artifact (a blob `{}`).
    public static let ociEmpty = "application/vnd.oci.empty.v1+json"

    /// Whether a descriptor with this media type points at an index (a list of manifests).
    public static func isIndex(_ type: String?) -> Bool {
        type == ociIndex || type == dockerManifestList
    }

    /// Whether a descriptor with this media type points at an image manifest.
    public static func isManifest(_ type: String?) -> Bool {
        type == ociManifest || type == dockerManifest
    }

    /// Whether a config with this media type is an image config (a runnable image).
    public static func isImageConfig(_ type: String) -> Bool {
        type == ociConfig || type == dockerConfig
    }

    /// Whether a media type names a filesystem layer (any compression).
    public static func isLayer(_ type: String) -> Bool {
        type.hasPrefix("application/vnd.oci.image.layer.") || type.hasPrefix("application/vnd.docker.image.rootfs.")
    }
}
