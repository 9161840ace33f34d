// swift-tools-version: 6.2
import PackageDescription

// Per-target settings: warnings are errors in our code only, never in dependencies.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "imageaudit",
    products: [
        .executable(name: "imageaudit", targets: ["imageaudit"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // C libraries. Only ImageAuditArchive imports them (`internal import`).
        .systemLibrary(
            name: "CLibArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "CISAL",
            pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // Pure core: no archives, no disk I/O.
        .target(name: "ImageAuditELF", swiftSettings: strict),
        .target(name: "ImageAuditFS", dependencies: ["ImageAuditELF"], swiftSettings: strict),
        .target(name: "ImageAuditLoader", dependencies: ["ImageAuditELF", "ImageAuditFS"], swiftSettings: strict),
        .target(name: "ImageAuditOCI", swiftSettings: strict),
        // What a POSIX shell runs for `sh -c STRING` or a script: parser and static evaluator.
        .target(name: "ImageAuditShell", swiftSettings: strict),

        // The one module that talks to C: libarchive streams, ISA-L gzip, SHA-256.
        .target(
            name: "ImageAuditArchive", dependencies: ["CLibArchive", "CISAL", "CZstd", "CCrypto"], swiftSettings: strict
        ),

        // Reading: tarball -> images (config + merged filesystem).
        .target(
            name: "ImageAuditCore",
            dependencies: ["ImageAuditArchive", "ImageAuditOCI", "ImageAuditELF", "ImageAuditFS", "ImageAuditLoader"],
            swiftSettings: strict
        ),
        // The verdict: pure rules over a config and a merged filesystem (no archives).
        .target(
            name: "ImageAuditCheck",
            dependencies: ["ImageAuditOCI", "ImageAuditELF", "ImageAuditFS", "ImageAuditLoader", "ImageAuditShell"],
            swiftSettings: strict
        ),
        // Every output: audit (text, JSON, SARIF, JUnit), inspect and tree, one JSON encoding.
        .target(
            name: "ImageAuditReport",
            dependencies: ["ImageAuditCheck", "ImageAuditCore", "ImageAuditFS", "ImageAuditOCI", "ImageAuditELF"],
            swiftSettings: strict
        ),
        // Images straight from a registry (distribution API over HTTP): the only user of AsyncHTTPClient.
        .target(
            name: "ImageAuditRegistry",
            dependencies: [
                "ImageAuditCore", "ImageAuditOCI", "ImageAuditArchive",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        // The facade the commands use: read with the audit's requirements, Image -> ImageUnderAudit.
        .target(
            name: "ImageAuditKit", dependencies: ["ImageAuditCore", "ImageAuditCheck", "ImageAuditOCI"],
            swiftSettings: strict),
        // The config file (.imageaudit.yaml): YAML to plain values, the only user of Yams.
        .target(
            name: "ImageAuditConfig", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // The CLI: parses options and wires the facade to the reports.
        .executableTarget(
            name: "imageaudit",
            dependencies: [
                "ImageAuditKit",
                "ImageAuditCore",
                "ImageAuditCheck",
                "ImageAuditReport",
                "ImageAuditOCI",
                "ImageAuditConfig",
                "ImageAuditArchive",
                "ImageAuditRegistry",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            plugins: ["BuildInfo"]
        ),
        // `imageaudit --version`'s git commit, written before each build.
        .plugin(name: "BuildInfo", capability: .buildTool()),

        // Used only by tests: tar writer, fixture paths, running the built CLI.
        .target(name: "ImageAuditTestSupport", dependencies: ["ImageAuditFS"], swiftSettings: strict),
        // The hostile inputs of docs/security.md on standard output, for scripts/bench-hostile.sh.
        .executableTarget(name: "hostile-images", dependencies: ["ImageAuditTestSupport"], swiftSettings: strict),
        // libFuzzer targets (Fuzz/README.md): built plainly they replay the files given, so the
        // default build keeps them compiling; Fuzz/run.sh builds them with -sanitize=fuzzer,address.
        .target(name: "FuzzDriver", path: "Fuzz/Driver", swiftSettings: strict),
        .executableTarget(
            name: "fuzz-elf", dependencies: ["ImageAuditELF", "FuzzDriver"], path: "Fuzz/ELF", swiftSettings: strict),
        .executableTarget(
            name: "fuzz-reader",
            dependencies: ["ImageAuditKit", "ImageAuditCore", "ImageAuditCheck", "ImageAuditArchive", "FuzzDriver"],
            path: "Fuzz/Reader", swiftSettings: strict),

        .testTarget(name: "ImageAuditELFTests", dependencies: ["ImageAuditELF", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditFSTests", dependencies: ["ImageAuditFS", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditLoaderTests", dependencies: ["ImageAuditLoader", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditOCITests", dependencies: ["ImageAuditOCI"]),
        .testTarget(name: "ImageAuditShellTests", dependencies: ["ImageAuditShell"], swiftSettings: strict),
        .testTarget(name: "ImageAuditArchiveTests", dependencies: ["ImageAuditArchive", "ImageAuditTestSupport"]),
        .testTarget(
            name: "ImageAuditCoreTests", dependencies: ["ImageAuditCore", "ImageAuditLoader", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditCheckTests", dependencies: ["ImageAuditCheck", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditReportTests", dependencies: ["ImageAuditReport", "ImageAuditTestSupport"]),
        .testTarget(
            name: "ImageAuditKitTests",
            dependencies: ["ImageAuditKit", "ImageAuditCore", "ImageAuditCheck", "ImageAuditTestSupport"]),
        .testTarget(name: "ImageAuditCLITests", dependencies: ["imageaudit"]),
        .testTarget(name: "ImageAuditConfigTests", dependencies: ["ImageAuditConfig"]),
        .testTarget(name: "ImageAuditRegistryTests", dependencies: ["ImageAuditRegistry"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ImageAuditTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
