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
        for message in try readError(tar) {
            #expect(message.contains("layer 1 blobs/sha256/") && message.contains("sha256 mismatch"), "\(message)")
        }
    }

    @Test("a layer whose uncompressed bytes do not match the config's diff_id")
    func diffID() throws {
        var image = try sampleImage()
        image.diffIDs = [image.layers[1].diffID, image.layers[1].diffID]
        for message in try readError(ImageTarballs.write(ImageTarballs.dockerSave([image]))) {
            #expect(message.hasPrefix("layer 1 ") && message.contains("diff_id"), "\(message)")
        }
    }

    @Test("a config whose bytes do not match the digest in its name (docker save <hex>.json)")
    func legacyConfigName() throws {
        var entries = ImageTarballs.dockerSave([try sampleImage()])
        let index = try #require(
            entries.firstIndex { $0.name.hasSuffix(".json") && !$0.name.contains("/") && $0.name != "manifest.json" })
        var config = try sampleImage().config
        config.insert(UInt8(ascii: " "), at: 1)
        entries[index] = .file(entries[index].name, config)
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

    @Test("kaniko's <digest>.tar.gz name is checked against the stored bytes")
    func kanikoName() throws {
        var entries = ImageTarballs.kaniko(try sampleImage(compression: .gzip))
        let index = try #require(entries.firstIndex { $0.name.hasSuffix(".tar.gz") })
        let other = try FixtureLayer(compression: .gzip) { $0.add("x", .file([])) }
        entries[index] = .file(entries[index].name, other.stored)
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message.contains("sha256 mismatch: the name says"), "\(message)")
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
