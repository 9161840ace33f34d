import ImageAuditCore
import ImageAuditTestSupport
import Testing

/// Every blob read is checked against what names it; a mismatch is an error naming the blob.
@Suite struct DigestTests {
    /// An OCI layout of the sample image whose blob `digest` is replaced by `bytes` (same name).
    private func layoutWithBlob(_ replace: (inout [FixtureEntry], FixtureImage) throws -> Void) throws -> [UInt8] {
        var layout = OCILayoutFixture()
        let image = try sampleImage()
        let descriptor = layout.addImage(image)
        var entries = layout.entries(index: [descriptor])
        try replace(&entries, image)
        return ImageTarballs.write(entries)
    }

    private func replaceBlob(_ entries: inout [FixtureEntry], digest: String, with bytes: [UInt8]) {
        let name = "blobs/sha256/" + digest.dropFirst("sha256:".count)
        if let index = entries.firstIndex(where: { $0.name == name }) { entries[index] = .file(name, bytes) }
    }

    @Test("a layer whose bytes do not match its descriptor digest")
    func layerDigest() throws {
        let tar = try layoutWithBlob { entries, image in
            // The same tar with one content byte changed: same size, still a valid tar.
            var tampered = image.layers[0].stored
            let at = try #require(tampered.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 6 })
            tampered[at] ^= 1
            replaceBlob(&entries, digest: image.layers[0].digest, with: tampered)
        }
        // One job reads on one thread; two decompress ahead on another (PipelinedStream).
        for message in try readError(tar, jobs: [1, 2]) {
            #expect(message.contains("layer 1 blobs/sha256/") && message.contains("sha256 mismatch"), "\(message)")
        }
    }

    @Test(
        "a layer whose uncompressed bytes do not match the config's diff_id",
        arguments: [nil, .gzip, .zstd] as [ExternalTools.Compressor?])
    func diffID(compression: ExternalTools.Compressor?) throws {
        var image = try sampleImage(compression: compression)
        image.diffIDs = [image.layers[1].diffID, image.layers[1].diffID]
        for message in try readError(ImageTarballs.write(ImageTarballs.dockerSave([image])), jobs: [1, 2]) {
            #expect(message.hasPrefix("layer 1 ") && message.contains("diff_id"), "\(message)")
        }
    }

    /// A manifest.json tarball with the config and layers under these names (gzip layers).
    private func renamed(_ image: FixtureImage, config: String, layers: [String]) -> [UInt8] {
        var entries: [FixtureEntry] = [.file(config, image.config)]
        for (name, layer) in zip(layers, image.layers) { entries.append(.file(name, layer.stored)) }
        let list = layers.map { "\"\($0)\"" }.joined(separator: ",")
        let manifest = "[{\"Config\":\"\(config)\",\"RepoTags\":null,\"Layers\":[\(list)]}]"
        entries.append(.file("manifest.json", Array(manifest.utf8)))
        return ImageTarballs.write(entries)
    }

    /// skopeo 1.9 (`inspect` and `copy docker-archive:`) and `docker load` read these: in a
    /// manifest.json a config's name is only a name, and the image ID is the hash of its bytes.
    @Test(
        "a config whose name is not its digest is read; the image ID is the hash of its bytes",
        arguments: [
            "config.json", String(repeating: "0", count: 64) + ".json", "sha256:" + String(repeating: "1", count: 64),
        ])
    func configNameIsOnlyAName(name: String) throws {
        let image = try sampleImage(compression: .gzip)
        let tar = renamed(image, config: name, layers: image.layers.map { FixtureSHA256.hex($0.stored) + ".tar.gz" })
        for mode in ReadMode.allCases {
            let read = try readImages(tar, mode: mode)
            #expect(read.map(\.configDigest.description) == [FixtureSHA256.digest(image.config)], "\(mode)")
        }
    }

    @Test("a config at a content-addressed path (Docker 25's blobs/sha256/<hex>) must hash to it")
    func contentAddressedConfig() throws {
        let image = try sampleImage()
        var entries = ImageTarballs.dockerSaveOCI([image])
        let name = "blobs/sha256/" + FixtureSHA256.hex(image.config)
        let index = try #require(entries.firstIndex { $0.name == name })
        var config = image.config
        config.insert(UInt8(ascii: " "), at: 1)
        entries[index] = .file(name, config)
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message.hasPrefix("config ") && message.contains("sha256 mismatch"), "\(message)")
        }
    }

    @Test("a manifest blob that does not match its index descriptor")
    func manifestDigest() throws {
        let tar = try layoutWithBlob { entries, image in
            // Same size, other bytes.
            let manifest = Array(
                String(decoding: image.manifest, as: UTF8.self)
                    .replacingOccurrences(of: "\"schemaVersion\":2", with: "\"schemaVersion\":3").utf8)
            replaceBlob(&entries, digest: FixtureSHA256.digest(image.manifest), with: manifest)
        }
        for message in try readError(tar) {
            #expect(message.hasPrefix("manifest blobs/sha256/") && message.contains("sha256 mismatch"), "\(message)")
        }
    }

    @Test("a descriptor size that differs from the blob")
    func descriptorSize() throws {
        let image = try sampleImage()
        var layout = OCILayoutFixture()
        for layer in image.layers { layout.addBlob(layer.stored) }
        layout.addBlob(image.config)
        let manifest = String(decoding: image.manifest, as: UTF8.self)
            .replacingOccurrences(
                of: "\"size\":\(image.layers[0].stored.count)", with: "\"size\":\(image.layers[0].stored.count + 1)")
        let digest = layout.addBlob(Array(manifest.utf8))
        let descriptor = JSONText.descriptor(
            mediaType: "application/vnd.oci.image.manifest.v1+json", digest: digest, size: manifest.utf8.count)
        for message in try readError(ImageTarballs.write(layout.entries(index: [descriptor]))) {
            #expect(message.contains("the descriptor says \(image.layers[0].stored.count + 1) bytes"), "\(message)")
        }
    }

    @Test("a layer named by another digest is read, and held to the config's diff_id")
    func layerNameIsOnlyAName() throws {
        var image = try sampleImage(compression: .gzip)
        let names = ["2", "3"].map { String(repeating: $0, count: 64) + ".tar.gz" }
        #expect(try readImages(renamed(image, config: "config.json", layers: names), mode: .randomAccess).count == 1)

        image.diffIDs = image.layers.map(\.diffID)
        image.layers[0] = try FixtureLayer(compression: .gzip) { $0.add("x", .file([])) }
        for message in try readError(renamed(image, config: "config.json", layers: names)) {
            #expect(message.hasPrefix("layer 1 ") && message.contains("the config's diff_id is"), "\(message)")
        }
    }

    @Test("the number of diff_ids must equal the number of layers")
    func layerCount() throws {
        var image = try sampleImage()
        image.diffIDs = [image.layers[0].diffID]
        for message in try readError(ImageTarballs.write(ImageTarballs.dockerSave([image]))) {
            #expect(message.contains("lists 1 diff_ids for 2 layers"), "\(message)")
        }
    }

    @Test("the digests reported are those of the bytes read")
    func reportedDigests() throws {
        let image = try sampleImage(compression: .zstd)
        let read = try readImages(ImageTarballs.write(ImageTarballs.dockerSaveOCI([image])), mode: .randomAccess)
        let layers = try #require(read.first).layers
        #expect(layers.map(\.digest.description) == image.layers.map(\.digest))
        #expect(layers.map(\.diffID.description) == image.layers.map(\.diffID))
        #expect(layers.map(\.size) == image.layers.map { Int64($0.stored.count) })
        #expect(layers.map(\.uncompressedSize) == image.layers.map { Int64($0.tar.count) })
        #expect(read.first?.configDigest.description == FixtureSHA256.digest(image.config))
    }
}
