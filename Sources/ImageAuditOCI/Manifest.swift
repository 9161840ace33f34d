// Source: https://github.com/opencontainers/image-spec/blob/main/specs-go/v1/manifest.go
// and https://github.com/opencontainers/image-spec/blob/main/specs-go/v1/index.go

/// An image manifest: one config and the ordered layers, bottom first.
public struct Manifest: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var annotations: [String: String]?
    /// Set when the manifest holds an artifact (image-spec 1.1), not an image.
    public var artifactType: String?
    /// The manifest this one refers to (a signature's or an SBOM's image: the referrers API).
    public var subject: Descriptor?

    public init(config: Descriptor, layers: [Descriptor], mediaType: String? = MediaType.ociManifest) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
    }
}

/// An image index (or Docker manifest list): manifests for several platforms, or nested indexes.
public struct Index: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(manifests: [Descriptor], mediaType: String? = MediaType.ociIndex) {
        schemaVersion = 2
        self.mediaType = mediaType
        self.manifests = manifests
    }
}

/// The `oci-layout` file at the root of an OCI image layout.
public struct ImageLayoutMarker: Sendable, Hashable, Codable {
    public var imageLayoutVersion: String
}
