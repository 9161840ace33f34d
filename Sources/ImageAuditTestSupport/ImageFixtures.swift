/// Layers and images for tests, written the way the real tools write them (see
/// `ImageTarballs` for the tarball layouts). Digests come from ``FixtureSHA256``.

/// One layer: its tar, and its bytes as stored (maybe compressed by the real `gzip`/`zstd`).
public struct FixtureLayer: Sendable {
    /// The uncompressed tar.
    public let tar: [UInt8]
    /// The blob as stored in the tarball.
    public let stored: [UInt8]
    public let compression: ExternalTools.Compressor?
    /// `sha256:` of the uncompressed tar (the config's diff ID).
    public let diffID: String
    /// `sha256:` of the stored bytes (the descriptor's digest).
    public let digest: String

    /// A layer from a finished tar, compressed with `compression` when given.
    public init(tar: [UInt8], compression: ExternalTools.Compressor? = nil) throws {
        self.tar = tar
        self.compression = compression
        let stored = try compression.map { try ExternalTools.compress(tar, with: $0) } ?? tar
        self.stored = stored
        // Computed once: the plain-Swift hash is slow in debug builds.
        diffID = FixtureSHA256.digest(tar)
        digest = compression == nil ? diffID : FixtureSHA256.digest(stored)
    }

    /// A layer whose entries `body` writes.
    public init(
        compression: ExternalTools.Compressor? = nil, longNames: TarWriter.LongNames = .pax,
        _ body: (inout TarWriter) -> Void
    ) throws {
        var writer = TarWriter(longNames: longNames)
        body(&writer)
        try self.init(tar: writer.finished(), compression: compression)
    }

    /// The OCI media type for its compression.
    public var ociMediaType: String {
        switch compression {
        case .gzip: "application/vnd.oci.image.layer.v1.tar+gzip"
        case .zstd: "application/vnd.oci.image.layer.v1.tar+zstd"
        default: "application/vnd.oci.image.layer.v1.tar"
        }
    }
}

/// An image: names, platform, runtime config, layers.
public struct FixtureImage: Sendable {
    public var names: [String]
    public var os = "linux"
    public var architecture = "amd64"
    public var variant: String?
    /// The `config` object of the image config, as JSON.
    public var runtimeJSON = "{}"
    public var layers: [FixtureLayer]
    /// Replaces the diff IDs computed from the layers (for mismatch tests).
    public var diffIDs: [String]?

    public init(
        names: [String] = [], architecture: String = "amd64", variant: String? = nil, runtimeJSON: String = "{}",
        layers: [FixtureLayer]
    ) {
        self.names = names
        self.architecture = architecture
        self.variant = variant
        self.runtimeJSON = runtimeJSON
        self.layers = layers
    }

    /// The image config JSON.
    public var config: [UInt8] {
        let ids = (diffIDs ?? layers.map(\.diffID)).map(JSONText.string).joined(separator: ",")
        let variantField = variant.map { ",\"variant\":\(JSONText.string($0))" } ?? ""
        return Array(
            ("{\"architecture\":\(JSONText.string(architecture)),\"os\":\(JSONText.string(os))\(variantField),"
                + "\"config\":\(runtimeJSON),\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\(ids)]}}").utf8)
    }

    /// `{"os":…,"architecture":…}` for index descriptors.
    public var platformJSON: String {
        let variantField = variant.map { ",\"variant\":\(JSONText.string($0))" } ?? ""
        return "{\"architecture\":\(JSONText.string(architecture)),\"os\":\(JSONText.string(os))\(variantField)}"
    }

    /// The OCI manifest JSON.
    public var manifest: [UInt8] {
        let config = self.config
        let layers = self.layers.map { layer in
            JSONText.descriptor(mediaType: layer.ociMediaType, digest: layer.digest, size: layer.stored.count)
        }
        return Array(
            ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + JSONText.descriptor(
                    mediaType: "application/vnd.oci.image.config.v1+json", digest: FixtureSHA256.digest(config),
                    size: config.count)
                + ",\"layers\":[\(layers.joined(separator: ","))]}").utf8)
    }
}

/// Minimal JSON writing for fixtures (deterministic, no Foundation).
public enum JSONText {
    /// A JSON string literal.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An OCI descriptor object.
    public static func descriptor(
        mediaType: String, digest: String, size: Int, platform: String? = nil, annotations: [String: String] = [:]
    ) -> String {
        var fields = ["\"mediaType\":\(string(mediaType))", "\"digest\":\(string(digest))", "\"size\":\(size)"]
        if let platform { fields.append("\"platform\":\(platform)") }
        if !annotations.isEmpty {
            let pairs = annotations.sorted { $0.key < $1.key }.map { "\(string($0.key)):\(string($0.value))" }
            fields.append("\"annotations\":{\(pairs.joined(separator: ","))}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A JSON array of strings.
    public static func array(_ items: [String]) -> String {
        "[" + items.map(string).joined(separator: ",") + "]"
    }
}
