/// One entry of an outer image tarball, before it is written (tests reorder, drop or corrupt them).
public struct FixtureEntry: Sendable {
    public var name: String
    public var kind: TarWriter.Kind

    public init(_ name: String, _ kind: TarWriter.Kind) {
        self.name = name
        self.kind = kind
    }

    /// A regular file.
    public static func file(_ name: String, _ bytes: [UInt8]) -> FixtureEntry { FixtureEntry(name, .file(bytes)) }
}

/// Image tarballs laid out as `docker save`, skopeo, kaniko and buildkit write them.
/// Each returns the entries; ``write(_:)`` makes the tar.
public enum ImageTarballs {
    /// Writes entries as a tar.
    public static func write(_ entries: [FixtureEntry], longNames: TarWriter.LongNames = .pax) -> [UInt8] {
        var writer = TarWriter(longNames: longNames)
        for entry in entries { writer.add(entry.name, entry.kind) }
        return writer.finished()
    }

    private static func hex(_ digest: String) -> String { String(digest.dropFirst("sha256:".count)) }

    private static func manifestEntry(config: String, names: [String], layers: [String]) -> String {
        "{\"Config\":\(JSONText.string(config)),\"RepoTags\":\(JSONText.array(names)),\"Layers\":\(JSONText.array(layers))}"
    }

    /// `docker save` of Docker ≤ 24: `<id>/layer.tar` + `<id>/json` + `<id>/VERSION` per layer,
    /// `<config-hex>.json`, `manifest.json`, `repositories`.
    public static func dockerSave(_ images: [FixtureImage]) -> [FixtureEntry] {
        var entries: [FixtureEntry] = []
        var manifest: [String] = []
        var written: Set<String> = []
        for image in images {
            var layerPaths: [String] = []
            var parent = ""
            for layer in image.layers {
                // The v1 layer ID: a chain hash, not the digest of the layer.
                let id = FixtureSHA256.hex(Array((parent + layer.diffID).utf8))
                parent = id
                layerPaths.append("\(id)/layer.tar")
                guard written.insert(id).inserted else { continue }
                entries += [
                    FixtureEntry("\(id)/", .directory), .file("\(id)/VERSION", Array("1.0".utf8)),
                    .file("\(id)/json", Array("{\"id\":\"\(id)\"}".utf8)), .file("\(id)/layer.tar", layer.stored),
                ]
            }
            let configName = hex(FixtureSHA256.digest(image.config)) + ".json"
            if written.insert(configName).inserted { entries.append(.file(configName, image.config)) }
            manifest.append(manifestEntry(config: configName, names: image.names, layers: layerPaths))
        }
        entries.append(.file("manifest.json", Array("[\(manifest.joined(separator: ","))]".utf8)))
        entries.append(.file("repositories", Array("{}".utf8)))
        return entries
    }

    /// `docker save` of Docker ≥ 25: an OCI layout (`blobs/sha256/…`, `index.json`, `oci-layout`)
    /// plus a `manifest.json` pointing into it.
    public static func dockerSaveOCI(_ images: [FixtureImage]) -> [FixtureEntry] {
        var layout = OCILayoutFixture()
        var manifest: [String] = []
        var index: [String] = []
        for image in images {
            let descriptor = layout.addImage(
                image,
                annotations: image.names.first.map {
                    [
                        "io.containerd.image.name": "docker.io/library/" + $0,
                        "org.opencontainers.image.ref.name": String($0.split(separator: ":").last ?? ""),
                    ]
                } ?? [:])
            index.append(descriptor)
            manifest.append(
                manifestEntry(
                    config: "blobs/sha256/" + hex(FixtureSHA256.digest(image.config)), names: image.names,
                    layers: image.layers.map { "blobs/sha256/" + hex($0.digest) }))
        }
        return layout.entries(index: index) + [
            .file("manifest.json", Array("[\(manifest.joined(separator: ","))]".utf8))
        ]
    }

    /// skopeo/podman `docker-archive`: `<diff-id-hex>.tar` layers at the top level,
    /// `<id>/layer.tar` symlinks to them, `<config-hex>.json`.
    public static func dockerArchive(_ image: FixtureImage) -> [FixtureEntry] {
        var entries: [FixtureEntry] = []
        for layer in image.layers {
            let name = hex(layer.diffID) + ".tar"
            let id = FixtureSHA256.hex(Array(("v1" + layer.diffID).utf8))
            entries += [
                .file(name, layer.stored), FixtureEntry("\(id)/layer.tar", .symlink("../\(name)")),
                .file("\(id)/VERSION", Array("1.0".utf8)), .file("\(id)/json", Array("{}".utf8)),
            ]
        }
        let configName = hex(FixtureSHA256.digest(image.config)) + ".json"
        entries.append(.file(configName, image.config))
        let manifest = manifestEntry(
            config: configName, names: image.names, layers: image.layers.map { hex($0.diffID) + ".tar" })
        entries.append(.file("manifest.json", Array("[\(manifest)]".utf8)))
        return entries
    }

    /// kaniko: config named `sha256:<hex>`, layers `<digest-hex>.tar.gz`, `manifest.json`.
    public static func kaniko(_ image: FixtureImage) -> [FixtureEntry] {
        let configName = FixtureSHA256.digest(image.config)
        var entries: [FixtureEntry] = [.file(configName, image.config)]
        for layer in image.layers { entries.append(.file(hex(layer.digest) + ".tar.gz", layer.stored)) }
        let manifest = manifestEntry(
            config: configName, names: image.names, layers: image.layers.map { hex($0.digest) + ".tar.gz" })
        entries.append(.file("manifest.json", Array("[\(manifest)]".utf8)))
        return entries
    }
}

/// An OCI image layout being assembled: blobs by digest, then `index.json` and `oci-layout`.
public struct OCILayoutFixture: Sendable {
    public private(set) var blobs: [(digest: String, bytes: [UInt8])] = []

    public init() {}

    /// Stores a blob (once) and returns its digest.
    @discardableResult
    public mutating func addBlob(_ bytes: [UInt8]) -> String {
        let digest = FixtureSHA256.digest(bytes)
        if !blobs.contains(where: { $0.digest == digest }) { blobs.append((digest, bytes)) }
        return digest
    }

    /// Stores an image's layers, config and manifest; returns the manifest's descriptor.
    public mutating func addImage(
        _ image: FixtureImage, annotations: [String: String] = [:], withPlatform: Bool = true
    )
        -> String
    {
        for layer in image.layers { addBlob(layer.stored) }
        addBlob(image.config)
        let manifest = image.manifest
        return JSONText.descriptor(
            mediaType: "application/vnd.oci.image.manifest.v1+json", digest: addBlob(manifest), size: manifest.count,
            platform: withPlatform ? image.platformJSON : nil, annotations: annotations)
    }

    /// Stores an index of these descriptors; returns its descriptor.
    public mutating func addIndex(_ manifests: [String], annotations: [String: String] = [:]) -> String {
        let index = Self.indexJSON(manifests)
        return JSONText.descriptor(
            mediaType: "application/vnd.oci.image.index.v1+json", digest: addBlob(index), size: index.count,
            annotations: annotations)
    }

    static func indexJSON(_ manifests: [String]) -> [UInt8] {
        Array(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[\(manifests.joined(separator: ","))]}"
                .utf8)
    }

    /// The layout's entries with `index` as `index.json`.
    public func entries(index: [String]) -> [FixtureEntry] {
        var entries: [FixtureEntry] = [FixtureEntry("blobs/", .directory), FixtureEntry("blobs/sha256/", .directory)]
        for blob in blobs {
            entries.append(.file("blobs/sha256/" + blob.digest.dropFirst("sha256:".count), blob.bytes))
        }
        entries.append(.file("oci-layout", Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8)))
        entries.append(.file("index.json", Self.indexJSON(index)))
        return entries
    }
}
