import ImageAuditArchive
import ImageAuditFS
import ImageAuditOCI
import ImageAuditTestSupport
import Testing

@testable import ImageAuditCore

/// The tarballs in shared/realimages, made by docker, kaniko and buildkit. Expectations come from
/// GNU tar, skopeo + umoci and the OCI spec, with the command next to each.
@Suite(.enabled(if: RealImages.directory != nil, Comment(rawValue: RealImages.skipMessage)))
struct RealImageTests {
    private func read(_ name: String, options: ImageReader.Options = .readerTests) throws -> Image {
        let path = try #require(RealImages.path(name))
        let images = try ImageReader(options: options).read(path)
        #expect(images.count == 1)
        return try #require(images.first)
    }

    /// `tar -xOf TARBALL BLOB | tar -t [-z|--zstd]`: the entry names GNU tar lists for a layer.
    private func tarListing(_ tarball: String, blob: String, compression: LayerCompression) throws -> [String] {
        let tar = try ExternalTools.path(of: "tar")
        let bytes = try ExternalTools.run(tar, ["-xOf", tarball, blob]).stdout
        let flag: [String] =
            switch compression {
            case .gzip: ["-z"]
            case .zstd: ["--zstd"]
            default: []
            }
        let listing = try ExternalTools.run(tar, ["-t", "--quoting-style=literal"] + flag + ["-f", "-"], input: bytes)
        #expect(listing.status == 0, "\(listing.stderrText)")
        return listing.stdoutText.split(separator: "\n").map(String.init)
    }

    /// Each layer's entries are exactly those GNU tar lists, in order.
    private func checkLayersAgainstTar(_ name: String, _ image: Image) throws {
        let tarball = try #require(RealImages.path(name))
        for layer in image.layers {
            let bytes = try ExternalTools.run(try ExternalTools.path(of: "tar"), ["-xOf", tarball, layer.path]).stdout
            let summary = try LayerSummarizer(requirements: .readerTests, decompressor: LibArchiveDecompressor())
                .summarize(MemoryStream(bytes))
            let ours = summary.entries.map { PathBytes.display($0.path) }
            #expect(
                ours == (try tarListing(tarball, blob: layer.path, compression: layer.compression)), "\(layer.path)")
            #expect(Digest(sha256: summary.diffID) == layer.diffID)
        }
    }

    @Test("docker save (Docker 18): 14 plain layers, whiteouts, busybox hard links")
    func dockerSave() throws {
        let image = try read("dive-test-docker-image.tar")
        // tar -xOf dive-test-docker-image.tar manifest.json
        #expect(image.format == .dockerSave && image.names == ["dive-test:latest"] && image.layers.count == 14)
        #expect(image.platform.description == "linux/amd64" && image.runtime.cmd == ["sh"])
        try checkLayersAgainstTar("dive-test-docker-image.tar", image)
        // skopeo copy docker-archive:dive-test-docker-image.tar oci:/tmp/um/docker:t
        // umoci raw unpack --rootless --image /tmp/um/docker:t /tmp/um/docker-root
        // find /tmp/um/docker-root -mindepth 1 | wc -l   → 423
        #expect(image.tree.nodeCount == 423)
        // find /tmp/um/docker-root -path '*/bin' -prune -o -type f -print | sort
        #expect(
            regularFiles(image.tree).filter { !$0.hasPrefix("/bin/") } == [
                "/etc/group", "/etc/localtime", "/etc/passwd", "/etc/shadow", "/root/.data/saved.again2.txt",
                "/root/.data/tag.sh", "/root/.data/test.sh", "/root/.saved.txt", "/root/saved.txt", "/somefile.txt",
                "/tmp/saved.again1.txt",
            ])
        // Layer 10 holds root/.wh.example (tar -xOf … f2fc54e…/layer.tar | tar -t): /root/example is gone.
        #expect(image.tree.node(at: "/root/example") == nil)
        // stat -c '%h %s %a' /tmp/um/docker-root/bin/busybox /tmp/um/docker-root/bin/ls → 393 hard links, 1 file
        let busybox = try #require(image.tree.node(at: "/bin/busybox"))
        let ls = try #require(image.tree.node(at: "/bin/ls"))
        #expect(image.tree.attributes(of: ls) == image.tree.attributes(of: busybox))
        #expect(
            image.tree.attributes(of: busybox).size > 1_000_000
                && image.tree.attributes(of: busybox).permissions == 0o755)
        #expect(
            image.tree.content(of: try #require(image.tree.node(at: "/etc/passwd")))?.data?.starts(
                with: Array("root:x:0:0".utf8)) == true)
    }

    @Test("kaniko: 14 gzip layers, config named sha256:<hex>")
    func kaniko() throws {
        let image = try read("dive-test-kaniko-image.tar")
        #expect(image.format == .kaniko && image.names == ["dive-test:kaniko-latest"] && image.layers.count == 14)
        #expect(image.layers.allSatisfy { $0.compression == .gzip })
        try checkLayersAgainstTar("dive-test-kaniko-image.tar", image)
        // skopeo copy docker-archive:dive-test-kaniko-image.tar oci:/tmp/um/kaniko:t; umoci raw unpack …;
        // find /tmp/um/kaniko-root -mindepth 1 | wc -l → 429
        #expect(image.tree.nodeCount == 429)
        // find /tmp/um/kaniko-root -path '*/bin' -prune -o -print | grep root/
        #expect(
            paths(image.tree).filter { $0.hasPrefix("/root") } == [
                "/root", "/root/.data", "/root/.data/saved.again2.txt", "/root/.data/tag.sh",
                "/root/.data/test-coverage.sh",
                "/root/.saved.txt", "/root/saved.txt",
            ])
    }

    @Test(
        "buildkit OCI archives: one arm64 layer holding README.md, plain, gzip, zstd and eStargz",
        arguments: [("uncompressed", LayerCompression.none), ("gzip", .gzip), ("zstd", .zstd), ("estargz", .gzip)])
    func buildkitOCI(variant: String, compression: LayerCompression) throws {
        let name = "dive-test-oci-\(variant)-image.tar"
        let image = try read(name)
        // tar -xOf NAME index.json: one manifest, platform {"architecture":"arm64","os":"linux"}
        #expect(image.format == .ociLayout && image.platform.description == "linux/arm64" && image.names.isEmpty)
        #expect(image.layers.map(\.compression) == [compression])
        try checkLayersAgainstTar(name, image)
        // tar -xOf NAME blobs/sha256/<layer> | tar -tv → -rw-r--r-- 0/0 11189 README.md
        // (eStargz keeps stargz.index.json after the end-of-archive blocks: tar -t stops before it,
        // as containerd's unpacker does; only `tar --ignore-zeros` shows it.)
        #expect(paths(image.tree) == ["/README.md"])
        let readme = try #require(attributes(image.tree, "/README.md"))
        #expect(readme.size == 11189 && readme.permissions == 0o644 && readme.type == .regular)
        // The config's diff_id covers the whole uncompressed stream, TOC included (zcat | sha256sum).
        #expect(image.layers.first?.uncompressedSize == (variant == "estargz" ? 14848 : 12800))
    }

    @Test("the arm64 OCI archives are refused for --platform linux/amd64, naming arm64")
    func platformMismatch() throws {
        let path = try #require(RealImages.path("dive-test-oci-gzip-image.tar"))
        #expect(
            throws: ImageReadError(
                "no image for linux/amd64 in index.json; it has linux/arm64 (choose with --platform)")
        ) {
            try ImageReader(options: .init(platform: .linuxAMD64, contentRequirements: .readerTests)).read(path)
        }
    }

    @Test("a tar holding only README.md is not an image")
    func notAnImage() throws {
        let path = try #require(RealImages.path("dive-test-estargz-image.tar"))
        #expect(
            throws: ImageReadError(
                "not a container image tarball: no manifest.json (docker save) or index.json (OCI layout); it holds README.md"
            )
        ) { try ImageReader().read(path) }
    }

    private func regularFiles(_ tree: FileTree) -> [String] {
        var files: [String] = []
        tree.walk { path, node in
            if tree.attributes(of: node).type == .regular { files.append(PathBytes.display(path)) }
        }
        return files
    }
}
