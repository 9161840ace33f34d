// Source: moby's image/tarexport (the `manifest.json` and `repositories` files of `docker save`).

/// One image of a `docker save` tarball's `manifest.json` (the file holds an array of these).
public struct DockerArchiveManifestEntry: Sendable, Hashable, Codable {
    /// Path of the config inside the tarball, e.g. `<hex>.json` or `blobs/sha256/<hex>`.
    public var config: String
    /// Names such as `alpine:3.19`; empty or missing for untagged images.
    public var repoTags: [String]?
    /// Paths of the layer tarballs inside the tarball, bottom first.
    public var layers: [String]

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
    }

    public init(config: String, repoTags: [String]?, layers: [String]) {
        self.config = config
        self.repoTags = repoTags
        self.layers = layers
    }
}

/// The legacy `repositories` file: repository → tag → top layer id.
public typealias DockerRepositories = [String: [String: String]]
