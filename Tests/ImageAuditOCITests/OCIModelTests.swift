import FoundationEssentials
import ImageAuditOCI
import Testing

@Suite struct DigestTests {
    @Test("sha256 and sha512 digests of the right length and lower-case hex are accepted")
    func valid() throws {
        let hex = String(repeating: "a1", count: 32)
        let digest = try #require(Digest("sha256:\(hex)"))
        #expect(digest.algorithm == "sha256")
        #expect(digest.encoded == hex)
        #expect(digest.description == "sha256:\(hex)")
        #expect(Digest("sha512:" + String(repeating: "0", count: 128)) != nil)
    }

    @Test(
        "anything else is rejected",
        arguments: [
            "", "sha256", "sha256:", "sha256:abc", "md5:" + String(repeating: "0", count: 32),
            "sha256:" + String(repeating: "A", count: 64), "sha256:" + String(repeating: "0", count: 63) + "g",
            "sha256:../../etc/passwd",
        ])
    func invalid(text: String) {
        #expect(Digest(text) == nil)
    }

    @Test("raw bytes encode as lower-case hex")
    func fromBytes() {
        // sha256("") from `printf '' | sha256sum`.
        let bytes: [UInt8] = [
            0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
            0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
        ]
        #expect(
            Digest(sha256: bytes).description
                == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

@Suite struct PlatformTests {
    @Test(
        "architectures normalise as containerd does",
        arguments: [
            ("x86_64", nil, "amd64", nil), ("amd64", "v1", "amd64", nil), ("aarch64", nil, "arm64", nil),
            ("arm64", "v8", "arm64", nil), ("armhf", nil, "arm", "v7"), ("arm", nil, "arm", "v7"),
            ("i386", nil, "386", nil), ("riscv64", nil, "riscv64", nil),
        ] as [(String, String?, String, String?)])
    func normalisation(arch: String, variant: String?, expectedArch: String, expectedVariant: String?) {
        let normalized = Platform(os: "Linux", architecture: arch, variant: variant).normalized
        #expect(normalized.os == "linux")
        #expect(normalized.architecture == expectedArch)
        #expect(normalized.variant == expectedVariant)
    }

    @Test("--platform parsing and matching")
    func parsingAndMatching() throws {
        let wanted = try #require(Platform(parsing: "linux/arm64"))
        #expect(Platform(os: "linux", architecture: "arm64", variant: "v8").matches(wanted))
        #expect(!Platform(os: "linux", architecture: "amd64").matches(wanted))
        let armv7 = try #require(Platform(parsing: "linux/arm/v7"))
        #expect(Platform(os: "linux", architecture: "arm").matches(armv7))
        #expect(!Platform(os: "linux", architecture: "arm", variant: "v6").matches(armv7))
        #expect(Platform(parsing: "linux") == nil)
        #expect(Platform(parsing: "linux//v7") == nil)
        #expect(Platform(parsing: "a/b/c/d") == nil)
        #expect(armv7.description == "linux/arm/v7")
    }
}

@Suite struct DocumentDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test("a Docker image config with Healthcheck, null Entrypoint and diff_ids")
    func dockerConfig() throws {
        let config = try decode(
            ImageConfig.self,
            """
            {"architecture":"amd64","os":"linux","config":{"User":"app","Env":["PATH=/usr/bin"],
             "Entrypoint":null,"Cmd":["/bin/sh","-c","server --port 80"],"WorkingDir":"/srv",
             "Healthcheck":{"Test":["CMD-SHELL","curl -f http://localhost/"],"Interval":30000000000,"Retries":3}},
             "rootfs":{"type":"layers","diff_ids":["sha256:\(String(repeating: "1", count: 64))"]},
             "history":[{"created_by":"/bin/sh -c #(nop) CMD","empty_layer":true}]}
            """)
        #expect(config.platform == Platform(os: "linux", architecture: "amd64"))
        let runtime = try #require(config.config)
        #expect(runtime.user == "app")
        #expect(runtime.entrypoint == nil)
        #expect(runtime.cmd == ["/bin/sh", "-c", "server --port 80"])
        #expect(runtime.workingDir == "/srv")
        #expect(runtime.healthcheck?.test == ["CMD-SHELL", "curl -f http://localhost/"])
        #expect(runtime.healthcheck?.retries == 3)
        #expect(config.rootfs?.diffIDs.count == 1)
        #expect(config.history?.first?.emptyLayer == true)
    }

    @Test("an index entry without mediaType (omitempty) and with a platform")
    func indexWithPlatforms() throws {
        let digest = "sha256:" + String(repeating: "2", count: 64)
        let index = try decode(
            Index.self,
            """
            {"schemaVersion":2,"manifests":[{"digest":"\(digest)","size":10,
             "platform":{"architecture":"arm","os":"linux","variant":"v7","os.version":"x"},
             "annotations":{"org.opencontainers.image.ref.name":"latest"}}]}
            """)
        let entry = try #require(index.manifests.first)
        #expect(entry.mediaType == "")
        #expect(entry.platform?.variant == "v7")
        #expect(entry.platform?.osVersion == "x")
        #expect(entry.annotations?[Descriptor.refNameAnnotation] == "latest")
    }

    @Test("a docker save manifest.json")
    func dockerArchiveManifest() throws {
        let entries = try decode(
            [DockerArchiveManifestEntry].self,
            #"[{"Config":"abc.json","RepoTags":["busybox:latest"],"Layers":["1/layer.tar","2/layer.tar"]}]"#)
        #expect(
            entries == [
                DockerArchiveManifestEntry(
                    config: "abc.json", repoTags: ["busybox:latest"], layers: ["1/layer.tar", "2/layer.tar"])
            ])
    }

    @Test("a manifest with a malformed digest is rejected")
    func badDigest() {
        #expect(throws: DecodingError.self) {
            try decode(
                Manifest.self,
                #"{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:nope","size":1},"layers":[]}"#)
        }
    }
}
