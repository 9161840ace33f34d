import Foundation
import ImageAuditCore
import ImageAuditTestSupport
import Testing

/// Hostile and broken tarballs: an error that says what is wrong, never a crash or a hang.
@Suite struct BadInputTests {
    @Test("bytes that are not a tar")
    func notATar() throws {
        let junk = Array(repeating: Array("not a tarball at all\n".utf8), count: 100).flatMap { $0 }
        #expect(try readError(junk, modes: [.randomAccess, .streamed]) == ["not a tar archive", "not a tar archive"])
    }

    @Test("an empty file")
    func emptyFile() throws {
        #expect(try readError([], modes: [.randomAccess]) == ["empty file, not a tar archive"])
    }

    @Test("a tar that is not an image names what it holds")
    func notAnImage() throws {
        var tar = TarWriter()
        tar.add("README.md", .file(Array("# hello\n".utf8)))
        for message in try readError(tar.finished()) {
            #expect(
                message.hasPrefix("not a container image tarball") && message.hasSuffix("it holds README.md"),
                "\(message)")
        }
    }

    @Test("a tarball truncated in the middle of a layer", arguments: [0.3, 0.6, 0.9])
    func truncated(fraction: Double) throws {
        let tar = ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()]))
        let cut = Array(tar.prefix(Int(Double(tar.count) * fraction) / 512 * 512 + 100))
        for message in try readError(cut, modes: [.randomAccess, .streamed]) { #expect(!message.isEmpty) }
    }

    @Test("a tar header whose size runs past the end of the file")
    func sizePastTheEnd() throws {
        var tar = TarWriter()
        tar.add("manifest.json", .file(Array("[]".utf8)), size: 1 << 30)
        for message in try readError(tar.bytes, modes: [.randomAccess, .streamed]) {
            #expect(message.lowercased().contains("truncated"), "\(message)")
        }
    }

    @Test("a corrupt gzip layer names the layer")
    func corruptLayer() throws {
        var entries = ImageTarballs.kaniko(try sampleImage(compression: .gzip))
        let index = try #require(entries.firstIndex { $0.name.hasSuffix(".tar.gz") })
        guard case .file(var bytes) = entries[index].kind else { return }
        for offset in stride(from: 12, to: bytes.count - 8, by: 7) { bytes[offset] ^= 0xa5 }
        entries[index] = .file(entries[index].name, bytes)
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message.hasPrefix("layer 1 \(entries[index].name): "), "\(message)")
        }
    }

    @Test("a corrupt gzip-compressed tarball")
    func corruptOuter() throws {
        var compressed = try ExternalTools.compress(
            ImageTarballs.write(ImageTarballs.dockerSave([try sampleImage()])), with: .gzip)
        for offset in stride(from: 20, to: compressed.count - 8, by: 13) { compressed[offset] ^= 0x5a }
        let message = try withTemporaryFile(compressed) { path -> String? in
            do {
                _ = try ImageReader().read(path)
                return nil
            } catch {
                return (error as? ImageReadError)?.message
            }
        }
        #expect(message?.isEmpty == false, "read a corrupt tarball")
    }

    @Test("missing manifest.json targets: config and layer")
    func missingBlobs() throws {
        let entries = ImageTarballs.dockerSave([try sampleImage()])
        let noLayer = entries.filter { $0.name != entries.first { $0.name.hasSuffix("/layer.tar") }?.name }
        for message in try readError(ImageTarballs.write(noLayer)) {
            #expect(
                message.hasPrefix("layer of manifest.json image 1 ")
                    && message.hasSuffix("is missing from the tarball"), "\(message)")
        }
        let noConfig = entries.filter {
            !($0.name.hasSuffix(".json") && !$0.name.contains("/") && $0.name != "manifest.json")
        }
        for message in try readError(ImageTarballs.write(noConfig)) {
            #expect(message.hasPrefix("config of manifest.json image 1 "), "\(message)")
        }
    }

    @Test("an OCI blob the manifest names but the tarball lacks")
    func missingOCIBlob() throws {
        var layout = OCILayoutFixture()
        let image = try sampleImage()
        let descriptor = layout.addImage(image)
        let lost = "blobs/sha256/" + image.layers[1].digest.dropFirst(7)
        let entries = layout.entries(index: [descriptor]).filter { $0.name != lost }
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message == "layer \(image.layers[1].digest) is missing from the tarball (no \(lost))", "\(message)")
        }
    }

    @Test(
        "JSON of the wrong shape",
        arguments: [
            ("manifest.json", "{\"Config\":\"x\"}", "manifest.json: not a docker save manifest"),
            ("manifest.json", "[{\"Config\":\"x.json\"}]", "\"Layers\" is missing"),
            ("manifest.json", "[{\"Config\":1,\"Layers\":[]}]", "a string expected at [0].Config"),
            ("manifest.json", "not json", "manifest.json: not valid JSON"),
            ("manifest.json", "[]", "manifest.json lists no images"),
            ("index.json", "{\"manifests\":{}}", "index.json: not an OCI image index"),
        ])
    func wrongShape(document: String, json: String, expected: String) throws {
        var tar = TarWriter()
        tar.add(document, .file(Array(json.utf8)))
        for message in try readError(tar.finished()) { #expect(message.contains(expected), "\(message)") }
    }

    @Test("a config of the wrong shape names the config")
    func wrongConfig() throws {
        var image = try sampleImage()
        image.runtimeJSON = "[1,2]"
        for message in try readError(ImageTarballs.write(ImageTarballs.dockerSave([image]))) {
            #expect(message.hasPrefix("config ") && message.contains("an object expected at config"), "\(message)")
        }
    }

    @Test("a huge JSON document is refused before it is read")
    func hugeJSON() throws {
        var tar = TarWriter()
        tar.add(
            "manifest.json",
            .file([UInt8(ascii: "[")] + [UInt8](repeating: 0x20, count: 17 << 20) + [UInt8(ascii: "]")]))
        for message in try readError(tar.finished(), modes: [.randomAccess, .streamed]) {
            #expect(message.contains("more than the 16 MiB a JSON document may have"), "\(message)")
        }
    }

    @Test("a symlink loop in the outer tarball")
    func outerLinkLoop() throws {
        var entries = ImageTarballs.dockerArchive(try sampleImage())
        let layer = try #require(entries.first { $0.name.hasSuffix(".tar") }).name
        entries.removeAll { $0.name == layer }
        entries += [FixtureEntry(layer, .symlink("loop")), FixtureEntry("loop", .symlink(layer))]
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message.hasSuffix("too many levels of links in the tarball"), "\(message)")
        }
    }

    @Test("layer entries with .. and absolute names stay inside the image root", arguments: ReadMode.allCases)
    func escapingNames(mode: ReadMode) throws {
        let layer = try FixtureLayer { tar in
            tar.add("../../../etc/evil", .file([1]))
            tar.add("/abs/path", .file([2]))
            tar.add("a/../../b", .directory)
        }
        let read = try readImages(
            ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: mode)
        #expect(paths(try #require(read.first).tree) == ["/abs", "/abs/path", "/b", "/etc", "/etc/evil"])
    }

    @Test("a layer blob that is JSON, not a tar")
    func layerNotATar() throws {
        var entries = ImageTarballs.dockerSave([try sampleImage()])
        let index = try #require(entries.firstIndex { $0.name.hasSuffix("/layer.tar") })
        entries[index] = .file(entries[index].name, Array("{\"no\":\"tar\"}".utf8))
        for message in try readError(ImageTarballs.write(entries)) {
            #expect(message.hasPrefix("layer 1 ") && message.contains("not a"), "\(message)")
        }
    }
}

/// Tar features real writers use that fixtures rarely do.
@Suite struct TarVariantTests {
    @Test("a pax global header in a layer is metadata, not a file", arguments: ReadMode.allCases)
    func paxGlobalHeader(mode: ReadMode) throws {
        let layer = try FixtureLayer { tar in
            tar.add(
                "pax_global_header",
                .raw(typeflag: UInt8(ascii: "g"), data: TarWriter.paxRecord("comment", Array("git".utf8))))
            tar.add("file", .file([1]))
        }
        let read = try readImages(
            ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: mode)
        #expect(paths(try #require(read.first).tree) == ["/file"])
    }

    @Test("a GNU sparse file written by tar --sparse keeps its size and reads its holes as zeros")
    func gnuSparse() throws {
        let tarTool = try ExternalTools.path(of: "tar")
        let bytes = try withTemporaryFile(Array("tail".utf8), name: "seed") { seed -> [UInt8] in
            let directory = (seed as NSString).deletingLastPathComponent
            let handle = try #require(FileHandle(forWritingAtPath: seed))
            try handle.truncate(atOffset: 0)
            try handle.seek(toOffset: 1 << 20)
            try handle.write(contentsOf: Data("tail".utf8))
            try handle.close()
            let result = try ExternalTools.run(
                tarTool, ["--sparse", "--format=gnu", "-C", directory, "-cf", "-", "seed"])
            #expect(result.status == 0, "\(result.stderrText)")
            return result.stdout
        }
        let layer = try FixtureLayer(tar: bytes)
        let image = try #require(
            try readImages(
                ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: .randomAccess
            ).first)
        let node = try #require(image.tree.node(at: "/seed"))
        #expect(image.tree.attributes(of: node).size == (1 << 20) + 4)
        #expect(image.tree.content(of: node)?.head == [UInt8](repeating: 0, count: 256))
    }
}
