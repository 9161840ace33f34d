import ImageAuditCore
import ImageAuditOCI
import ImageAuditTestSupport
import Testing

/// Multi-platform indexes, attestations, several images in one tarball, `--platform`, `--image`.
@Suite struct SelectionTests {
    private func image(_ architecture: String, variant: String? = nil, file: String) throws -> FixtureImage {
        let layer = try FixtureLayer(compression: .gzip) { $0.add(file, .file(Array(architecture.utf8))) }
        return FixtureImage(names: [], architecture: architecture, variant: variant, layers: [layer])
    }

    /// A multi-platform image the way buildx pushes it: a nested index with amd64, arm64, arm/v7
    /// and an attestation manifest, whose blobs need not be in the tarball.
    private func multiPlatform(dropArm: Bool = false) throws -> [UInt8] {
        var layout = OCILayoutFixture()
        let amd = layout.addImage(try image("amd64", file: "amd"))
        let arm = layout.addImage(try image("arm64", file: "arm"))
        let armv7 = layout.addImage(try image("arm", variant: "v7", file: "armv7"))
        let attestation = JSONText.descriptor(
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            digest: "sha256:" + String(repeating: "a", count: 64),
            size: 100, platform: "{\"architecture\":\"unknown\",\"os\":\"unknown\"}",
            annotations: ["vnd.docker.reference.type": "attestation-manifest"])
        let nested = layout.addIndex([amd, arm, armv7, attestation])
        var entries = layout.entries(index: [nested])
        if dropArm {
            // containerd's export of one platform leaves the others' blobs out.
            let armManifest = try image("arm64", file: "arm").manifest
            entries.removeAll { $0.name == "blobs/sha256/" + FixtureSHA256.hex(armManifest) }
        }
        return ImageTarballs.write(entries)
    }

    @Test("a nested index defaults to linux/amd64", arguments: ReadMode.allCases)
    func defaultPlatform(mode: ReadMode) throws {
        let read = try readImages(try multiPlatform(), mode: mode)
        #expect(read.map(\.platform.description) == ["linux/amd64"])
        #expect(paths(try #require(read.first).tree) == ["/amd"])
    }

    @Test(
        "--platform picks a manifest of a nested index",
        arguments: [
            ("linux/arm64", "/arm"), ("linux/arm64/v8", "/arm"), ("linux/aarch64", "/arm"), ("linux/arm/v7", "/armv7"),
            ("linux/arm", "/armv7"), ("linux/x86_64", "/amd"),
        ])
    func chosenPlatform(wanted: String, file: String) throws {
        let options = ImageReader.Options(platform: Platform(parsing: wanted))
        let read = try readImages(try multiPlatform(), mode: .randomAccess, options: options)
        #expect(read.flatMap { paths($0.tree) } == [file])
    }

    @Test("when no platform matches, the error names those that exist")
    func noMatch() throws {
        let options = ImageReader.Options(platform: Platform(parsing: "linux/s390x"))
        #expect(
            try readError(try multiPlatform(), options: options).allSatisfy {
                $0
                    == "no image for linux/s390x in index.json; it has linux/amd64, linux/arm/v7, linux/arm64 (choose with --platform)"
            })
    }

    @Test("blobs of platforms not chosen may be absent")
    func absentOtherPlatforms() throws {
        #expect(
            try readImages(try multiPlatform(dropArm: true), mode: .streamed).map(\.platform.description) == [
                "linux/amd64"
            ])
    }

    @Test("the only platform present is taken by default, even if not amd64")
    func onlyPlatform() throws {
        var layout = OCILayoutFixture()
        let arm = layout.addImage(try image("arm64", file: "arm"))
        let read = try readImages(ImageTarballs.write(layout.entries(index: [arm])), mode: .randomAccess)
        #expect(read.map(\.platform.description) == ["linux/arm64"])
    }

    @Test("several platforms and none is amd64: the error lists them")
    func severalWithoutDefault() throws {
        var layout = OCILayoutFixture()
        let nested = layout.addIndex([
            layout.addImage(try image("arm64", file: "a")), layout.addImage(try image("ppc64le", file: "p")),
        ])
        #expect(
            try readError(ImageTarballs.write(layout.entries(index: [nested]))).allSatisfy {
                $0
                    == "no image for linux/amd64 in index.json; it has linux/arm64, linux/ppc64le (choose with --platform)"
            })
    }

    @Test("a manifest without a platform in the index is judged by its config")
    func platformFromConfig() throws {
        var layout = OCILayoutFixture()
        let amd = layout.addImage(try image("amd64", file: "amd"), withPlatform: false)
        let arm = layout.addImage(try image("arm64", file: "arm"), withPlatform: false)
        let options = ImageReader.Options(platform: Platform(parsing: "linux/arm64"))
        let nested = layout.addIndex([amd, arm])
        let read = try readImages(
            ImageTarballs.write(layout.entries(index: [nested])), mode: .randomAccess, options: options)
        #expect(read.flatMap { paths($0.tree) } == ["/arm"])
    }

    @Test("docker save of several images reads them all; --image picks one", arguments: ReadMode.allCases)
    func multiImage(mode: ReadMode) throws {
        let shared = try FixtureLayer { $0.add("shared", .file([1])) }
        let first = FixtureImage(
            names: ["first:1", "first:latest"], layers: [shared, try FixtureLayer { $0.add("one", .file([])) }])
        let second = FixtureImage(
            names: ["registry.example.com/team/second:2"],
            layers: [shared, try FixtureLayer { $0.add("two", .file([])) }])
        for entries in [ImageTarballs.dockerSave([first, second]), ImageTarballs.dockerSaveOCI([first, second])] {
            let tar = ImageTarballs.write(entries)
            let all = try readImages(tar, mode: mode)
            #expect(all.map { paths($0.tree) } == [["/one", "/shared"], ["/shared", "/two"]])
            for (wanted, expected) in [
                ("first", "first:1"), ("docker.io/library/first:latest", "first:1"),
                ("first:1", "first:1"), ("registry.example.com/team/second:2", "registry.example.com/team/second:2"),
            ] {
                let read = try readImages(tar, mode: mode, options: ImageReader.Options(imageName: wanted))
                #expect(read.map { $0.names.first ?? "" } == [expected], "\(wanted)")
            }
        }
    }

    @Test("--image that matches nothing names the images there")
    func unknownName() throws {
        let tar = ImageTarballs.write(
            ImageTarballs.dockerSave([try sampleImage(names: ["a:1"]), try sampleImage(names: ["b:2"])]))
        #expect(
            try readError(tar, options: ImageReader.Options(imageName: "c")).allSatisfy {
                $0 == "no image named c in the tarball; it has a:1, b:2"
            })
    }

    @Test("--platform filters the images of a docker save tarball")
    func dockerSavePlatform() throws {
        var amd = try image("amd64", file: "amd")
        amd.names = ["x:amd"]
        var arm = try image("arm64", file: "arm")
        arm.names = ["x:arm"]
        let tar = ImageTarballs.write(ImageTarballs.dockerSave([amd, arm]))
        let read = try readImages(
            tar, mode: .randomAccess, options: ImageReader.Options(platform: Platform(parsing: "linux/arm64")))
        #expect(read.map(\.names) == [["x:arm"]])
        #expect(
            try readError(tar, options: ImageReader.Options(platform: Platform(parsing: "windows/amd64"))).allSatisfy {
                $0
                    == "no image for windows/amd64 in the tarball; it has linux/amd64, linux/arm64 (choose with --platform)"
            })
    }

    @Test("an OCI layout with two named images; the same manifest under two names is one image")
    func ociNames() throws {
        var layout = OCILayoutFixture()
        let a = layout.addImage(try image("amd64", file: "a"), annotations: ["org.opencontainers.image.ref.name": "a"])
        let b = layout.addImage(
            try image("amd64", file: "b"), annotations: ["io.containerd.image.name": "docker.io/library/b:1"])
        let again = layout.addImage(
            try image("amd64", file: "a"), annotations: ["org.opencontainers.image.ref.name": "a2"])
        let read = try readImages(ImageTarballs.write(layout.entries(index: [a, b, again])), mode: .randomAccess)
        #expect(read.map(\.names) == [["a", "a2"], ["docker.io/library/b:1"]])
    }
}
