// Source: https://github.com/opencontainers/image-spec/blob/main/specs-go/v1/descriptor.go

/// A reference to a blob by digest and size, with the blob's media type.
public struct Descriptor: Sendable, Hashable, Codable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var urls: [String]?
    public var annotations: [String: String]?
    /// Set on the entries of an index: which platform the manifest is for.
    public var platform: Platform?
    public var artifactType: String?

    public init(
        mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil,
        platform: Platform? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // omitempty in the spec: Docker-written indexes leave mediaType out on some entries.
        mediaType = try container.decodeIfPresent(String.self, forKey: .mediaType) ?? ""
        digest = try container.decode(Digest.self, forKey: .digest)
        size = try container.decode(Int64.self, forKey: .size)
        urls = try container.decodeIfPresent([String].self, forKey: .urls)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        platform = try container.decodeIfPresent(Platform.self, forKey: .platform)
        artifactType = try container.decodeIfPresent(String.self, forKey: .artifactType)
    }

    /// The annotation holding an image name in OCI layouts written by skopeo, buildkit, Docker 25+.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
    /// Containerd/Docker's full image name annotation.
    public static let containerdImageNameAnnotation = "io.containerd.image.name"
}
