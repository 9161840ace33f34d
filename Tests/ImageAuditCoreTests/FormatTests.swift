import ImageAuditCore
import ImageAuditFS
import ImageAuditOCI
import ImageAuditTestSupport
import Testing

/// Every tarball layout, read in every mode, gives the same image.
@Suite struct FormatTests {
    private func checkSample(_ images: [Image], format: TarballFormat, names: [String] = ["sample:1"]) throws {
        let image = try #require(images.first)
        #expect(images.count == 1)
        #expect(image.format == format)
        #expect(image.names == names)
        #expect(image.platform.description == "linux/amd64")
        #expect(image.runtime.entrypoint == ["/bin/app"])
        #expect(image.runtime.user == "1000")
        #expect(image.layers.count == 2)
        #expect(paths(image.tree) == sampleImagePaths)
        #expect(attributes(image.tree, "/bin/app")?.permissions == 0o755)
        #expect(attributes(image.tree, "/bin/tool")?.symlinkTarget == Array("app".utf8))
        // The policy keeps /etc/passwd whole; everything keeps its head.
        let passwd = try #require(image.tree.node(at: "/etc/passwd"))
        #expect(image.tree.content(of: passwd)?.data == Array("root:x:0:0:root:/root:/bin/sh\n".utf8))
        let app = try #require(image.tree.node(at: "/bin/app"))
        #expect(image.tree.content(of: app)?.head == Array("#!/bin/sh\necho hi\n".utf8))
        #expect(image.tree.content(of: app)?.data == nil)
    }

    @Test("docker save of Docker 24 and older: <id>/layer.tar, <hex>.json", arguments: ReadMode.allCases)
    func dockerSaveLegacy(mode: ReadMode) throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()]))
        try checkSample(try readImages(tar, mode: mode), format: .dockerSave)
    }

    @Test("docker save of Docker 25 and newer: OCI layout plus manifest.json", arguments: ReadMode.allCases)
    func dockerSaveOCI(mode: ReadMode) throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerSaveOCI([try sampleImage()]))
        try checkSample(try readImages(tar, mode: mode), format: .dockerSaveOCI)
    }

    @Test(
        "skopeo/podman docker-archive: top-level <diff-id>.tar layers, <id>/layer.tar symlinks",
        arguments: ReadMode.allCases)
    func dockerArchive(mode: ReadMode) throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerArchive(try sampleImage()))
        try checkSample(try readImages(tar, mode: mode), format: .dockerArchive)
    }

    @Test("a docker-archive whose manifest names the <id>/layer.tar symlinks still finds the layers")
    func dockerArchiveThroughSymlinks() throws {
        var entries = ImageTarballs.dockerArchive(try sampleImage())
        let links = entries.filter { $0.name.hasSuffix("/layer.tar") }.map(\.name)
        let image = try sampleImage()
        let config = FixtureSHA256.hex(image.config) + ".json"
        let manifest = "[{\"Config\":\"\(config)\",\"RepoTags\":[\"sample:1\"],\"Layers\":\(JSONText.array(links))}]"
        entries.removeAll { $0.name == "manifest.json" }
        entries.append(.file("manifest.json", Array(manifest.utf8)))
        for mode in ReadMode.allCases {
            #expect(
                paths(try #require(try readImages(ImageTarballs.write(entries), mode: mode).first).tree)
                    == sampleImagePaths)
        }
    }

    @Test("kaniko: <digest>.tar.gz layers, config named sha256:<hex>", arguments: ReadMode.allCases)
    func kaniko(mode: ReadMode) throws {
        let tar = ImageTarballs.write(ImageTarballs.kaniko(try sampleImage(compression: .gzip)))
        try checkSample(try readImages(tar, mode: mode), format: .kaniko)
    }

    @Test(
        "OCI image layout with plain, gzip and zstd layers",
        arguments: [nil, ExternalTools.Compressor.gzip, .zstd], ReadMode.allCases)
    func ociLayout(compression: ExternalTools.Compressor?, mode: ReadMode) throws {
        var layout = OCILayoutFixture()
        let image = try sampleImage(compression: compression)
        let descriptor = layout.addImage(image, annotations: ["org.opencontainers.image.ref.name": "sample:1"])
        let images = try readImages(ImageTarballs.write(layout.entries(index: [descriptor])), mode: mode)
        try checkSample(images, format: .ociLayout)
        #expect(
            images.first?.layers.map(\.compression.rawValue)
                == Array(repeating: compression?.rawValue ?? "none", count: 2))
        #expect(images.first?.manifestDigest?.description == FixtureSHA256.digest(image.manifest))
    }

    @Test("compression is recognised from the bytes, whatever the media type says")
    func compressionByContent() throws {
        let image = try sampleImage(compression: .zstd)
        // A manifest claiming plain tar for zstd bytes: the digest still matches, the bytes decide.
        let manifest = String(decoding: image.manifest, as: UTF8.self).replacingOccurrences(of: "tar+zstd", with: "tar")
        var layout = OCILayoutFixture()
        for layer in image.layers { layout.addBlob(layer.stored) }
        layout.addBlob(image.config)
        let digest = layout.addBlob(Array(manifest.utf8))
        let descriptor = JSONText.descriptor(
            mediaType: "application/vnd.oci.image.manifest.v1+json", digest: digest, size: manifest.utf8.count)
        let read = try readImages(ImageTarballs.write(layout.entries(index: [descriptor])), mode: .randomAccess)
        #expect(read.first?.layers.map(\.compression) == [.zstd, .zstd])
    }

    @Test("a tarball compressed with zstd as a whole is read in one pass")
    func zstdOuter() throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()]))
        let images = try withTemporaryFile(try ExternalTools.compress(tar, with: .zstd)) {
            try ImageReader(options: .readerTests).read($0)
        }
        try checkSample(images, format: .dockerSave)
    }

    @Test("entries in any order: manifest.json and index.json after the blobs", arguments: ReadMode.allCases)
    func documentsLast(mode: ReadMode) throws {
        for entries in [
            ImageTarballs.dockerSave([try sampleImage()]), ImageTarballs.dockerSaveOCI([try sampleImage()]),
        ] {
            let reordered =
                entries.filter { $0.name.hasSuffix(".json") || $0.name == "oci-layout" }.reversed()
                + entries.filter { !($0.name.hasSuffix(".json") || $0.name == "oci-layout") }.reversed()
            let read = try readImages(ImageTarballs.write(Array(reordered)), mode: mode)
            #expect(paths(try #require(read.first).tree) == sampleImagePaths)
        }
    }

    @Test("./-prefixed entry names in the outer tarball", arguments: ReadMode.allCases)
    func dotSlashNames(mode: ReadMode) throws {
        let entries = ImageTarballs.dockerSaveOCI([try sampleImage()]).map { FixtureEntry("./" + $0.name, $0.kind) }
        #expect(
            paths(try #require(try readImages(ImageTarballs.write(entries), mode: mode).first).tree) == sampleImagePaths
        )
    }

    @Test("pax and GNU long names in the outer tarball and in layers", arguments: [TarWriter.LongNames.pax, .gnu])
    func longNames(style: TarWriter.LongNames) throws {
        let deep = String(repeating: "very-long-directory-name/", count: 8) + "file"
        let layer = try FixtureLayer(longNames: style) { tar in tar.add(deep, .file(Array("x".utf8))) }
        let image = FixtureImage(names: ["long:1"], layers: [layer])
        let entries = ImageTarballs.dockerSave([image])
        for mode in ReadMode.allCases {
            let read = try readImages(ImageTarballs.write(entries, longNames: style), mode: mode)
            #expect(paths(try #require(read.first).tree).last == "/" + deep)
        }
    }
}

/// Layers with nothing in them.
@Suite struct EmptyLayerTests {
    @Test("an empty tar layer (just the end-of-archive blocks), plain and gzip", arguments: ReadMode.allCases)
    func emptyTar(mode: ReadMode) throws {
        for compression in [nil, ExternalTools.Compressor.gzip] {
            let empty = try FixtureLayer(tar: [UInt8](repeating: 0, count: 1024), compression: compression)
            let image = FixtureImage(layers: [try sampleImage().layers[0], empty])
            let read = try readImages(ImageTarballs.write(ImageTarballs.dockerSaveOCI([image])), mode: mode)
            #expect(read.first?.layers.map(\.entryCount) == [5, 0])
        }
    }

    @Test("a zero-byte layer blob is refused the same way in every mode")
    func zeroBytes() throws {
        let image = FixtureImage(layers: [try FixtureLayer(tar: [])])
        let messages = try readError(ImageTarballs.write(ImageTarballs.dockerSave([image])))
        #expect(Set(messages).count == 1 && messages[0].hasSuffix("empty blob, not a tar archive"), "\(messages)")
    }

    @Test("a tarball compressed with xz as a whole")
    func xzOuter() throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()]))
        let images = try withTemporaryFile(try ExternalTools.compress(tar, with: .xz)) {
            try ImageReader(options: .readerTests).read($0)
        }
        #expect(images.first.map { paths($0.tree) } == sampleImagePaths)
    }
}
