import Foundation
import ImageAuditArchive
import ImageAuditCore
import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// Every ELF file of real manylinux and musllinux wheels (most repaired by auditwheel, so many
/// with their tables moved by patchelf), read through the image reader in both read modes:
/// what it finds equals readelf's reading, and which libraries the loader model cannot find
/// equals what the real loader (`ld.so --list`, `ld-musl-x86_64.so.1 --list`) reports in a
/// chroot of the same tree. Runs when the wheels are cached or PyPI answers (`WheelCache`).
@Suite(.serialized) struct WheelDifferentialTests {
    struct Flavor: Sendable, CustomTestStringConvertible {
        let platform: String
        /// The loader's path in the image, and the files of the base (image path → host file).
        let loader: String
        let files: [(String, String)]
        let links: [(String, String)]
        var testDescription: String { platform }
    }

    static let glibcLibraries = [
        "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
        "libgcc_s.so.1", "libstdc++.so.6", "libutil.so.1", "libresolv.so.2", "libz.so.1",
    ]

    static let flavors = [
        Flavor(
            platform: "manylinux2014_x86_64", loader: "/lib64/ld-linux-x86-64.so.2",
            files: glibcLibraries.map { ("usr/lib/x86_64-linux-gnu/\($0)", "/usr/lib/x86_64-linux-gnu/\($0)") },
            links: [("lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")]),
        Flavor(
            platform: "musllinux_1_2_x86_64", loader: "/lib/ld-musl-x86_64.so.1",
            files: [("lib/ld-musl-x86_64.so.1", "/usr/lib/x86_64-linux-musl/libc.so")],
            links: [("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")]),
    ]

    @Test("wheels: the reader agrees with readelf, the loader model with the real loader", arguments: flavors)
    func wheels(flavor: Flavor) throws {
        guard let wheels = WheelCache.wheels(platform: flavor.platform), !wheels.isEmpty else {
            print("skipped: no \(flavor.platform) wheels in \(WheelCache.directory) and PyPI unreachable")
            return
        }
        guard ReadelfDynamic.readelf != nil, let python = Subprocess.find(["/usr/bin/python3"]),
            flavor.files.allSatisfy({ FileManager.default.fileExists(atPath: $0.1) })
        else {
            print("skipped: readelf, python3 or the host's \(flavor.platform) loader files are missing")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-wheels-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for wheel in wheels {
            let target = "\(root)/site/\(URL(fileURLWithPath: wheel).deletingPathExtension().lastPathComponent)"
            let unzip = try Subprocess.run(python, ["-m", "zipfile", "-e", wheel, target])
            try #require(unzip.status == 0, "\(wheel): \(unzip.stderr)")
        }
        let elfFiles = try Self.elfFiles(under: root, in: "site")
        try #require(elfFiles.count > 20, "only \(elfFiles.count) ELF files in the wheels")
        var writer = TarWriter()
        for (path, host) in flavor.files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: host)))
            writer.add(path, .file(bytes), mode: 0o755)
            try Self.place(bytes, at: "\(root)/\(path)")
        }
        for (path, target) in flavor.links {
            writer.add(path, .symlink(target))
            try FileManager.default.createDirectory(
                atPath: ("\(root)/\(path)" as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/\(path)", withDestinationPath: target)
        }
        for path in elfFiles {
            writer.add(path, .file([UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(path)")))), mode: 0o755)
        }
        let tar = ImageTarballs.write(
            ImageTarballs.dockerSave([
                FixtureImage(names: ["wheels:latest"], layers: [try FixtureLayer(tar: writer.finished())])
            ]))

        let expected = Dictionary(
            uniqueKeysWithValues: elfFiles.compactMap { path in
                ReadelfDynamic(readelfOf: "\(root)/\(path)").map { (path, $0) }
            })
        let realMissing = Dictionary(
            uniqueKeysWithValues: elfFiles.map {
                ($0, Self.realMissing(root: root, loader: flavor.loader, file: "/\($0)"))
            })
        for mode in [ReadMode.randomAccess, .streamed] {
            let images = try readImages(tar, mode: mode)
            let tree = try #require(images.first?.tree)
            var agreed = 0
            var withMissing = 0
            for path in elfFiles {
                let elf = try #require(PatchedELFCaptureTests.elf(images, "/\(path)"), "\(path)")
                #expect(elf.uncapturedTables.isEmpty && elf.symbols.isComplete, "\(mode) \(path): \(elf.issues)")
                #expect(ReadelfDynamic(elf) == expected[path], "\(mode) \(path)")
                let report = DynamicLoader.load(
                    program: "/\(path)", in: tree, options: LoaderOptions(explicitLoader: flavor.loader))
                let missing = report.problems.filter { $0.kind == .libraryNotFound }.map(\.subject)
                #expect(!report.problems.contains { $0.kind == .notFullyRead }, "\(mode) \(path)")
                if let real = realMissing[path] ?? nil {
                    // Loads or not alike; glibc stops at its first missing library (the model
                    // goes on), so that one is the model's first and the rest are among its.
                    let same =
                        missing.isEmpty == real.names.isEmpty && real.names.isSubset(of: missing)
                        && (real.stoppedAt == nil || real.stoppedAt == missing.first)
                    #expect(same, "\(mode) \(path): model \(missing), real loader \(real.names.sorted())")
                    if same { agreed += 1 }
                    if !real.names.isEmpty { withMissing += 1 }
                }
            }
            print(
                "\(flavor.platform) \(mode): \(elfFiles.count) ELF files, \(agreed) agree with the real loader (\(withMissing) miss a library)"
            )
        }
    }

    /// Paths (relative to `root`) of the files under `directory` that start with `\x7fELF`.
    static func elfFiles(under root: String, in directory: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: "\(root)/\(directory)")
        var result: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = "\(root)/\(directory)/\(relative)"
            guard let handle = FileHandle(forReadingAtPath: path) else { continue }
            defer { try? handle.close() }
            if let magic = try? handle.read(upToCount: 4), [UInt8](magic) == [0x7f, 0x45, 0x4c, 0x46] {
                result.append("\(directory)/\(relative)")
            }
        }
        return result.sorted()
    }

    static func place(_ bytes: [UInt8], at path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        _ = chmod(path, 0o755)
    }

    /// The `DT_NEEDED` names the real loader reports missing for `file` in a chroot of `root`,
    /// and the one glibc stopped at; nil when the chroot cannot be made (not root).
    static func realMissing(root: String, loader: String, file: String) -> (names: Set<String>, stoppedAt: String?)? {
        guard getuid() == 0, let output = try? Subprocess.run("/usr/sbin/chroot", [root, loader, "--list", file]) else {
            return nil
        }
        var missing: Set<String> = []
        var stoppedAt: String?
        for line in (output.stdout + "\n" + output.stderr).split(separator: "\n") {
            if line.contains("=> not found") {  // glibc: "\tlibfoo.so.1 => not found"
                missing.insert(line.trimmingCharacters(in: .whitespaces).components(separatedBy: " ").first ?? "")
            } else if let range = line.range(of: "error while loading shared libraries: ") {
                // glibc, for a library the file itself needs: the load stops there.
                stoppedAt = String(line[range.upperBound...].prefix { $0 != ":" })
                missing.insert(stoppedAt ?? "")
            } else if line.hasPrefix("Error loading shared library ") {  // musl: "…NAME: No such file…"
                let rest = line.dropFirst("Error loading shared library ".count)
                missing.insert(String(rest.prefix { $0 != ":" }))
            }
        }
        return (missing, stoppedAt)
    }
}
