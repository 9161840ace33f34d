import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// Hostile bytes are normal input: truncated and randomly mutated files give values or
/// `ELFError`s, never a trap. (A trap would kill the test process, so passing means none.)
@Suite struct HostileInputTests {
    static let seeds: [String] = [
        "glibc/usever", "glibc/hello-m32", "glibc/cxx", "musl/uselazy", "glibc/libver-new.so", "glibc/hello-sysvhash",
        "go/cgo", "go/static",
    ]

    /// Parses and touches everything a caller might read.
    @discardableResult
    static func exercise(_ source: some ELFByteSource) -> Int {
        guard let file = try? ELFFile(parsing: source) else { return 0 }
        var total = file.needed.count + file.issues.count + file.versionNeeds.count + file.versionDefinitions.count
        for symbol in file.symbols.undefined {
            total += symbol.name.utf8.count
            total += file.symbols.defines(symbol, checkingVersions: true) ? 1 : 0
        }
        total += file.goBuildInfo?.settings.count ?? 0
        total += file.estimatedRetainedBytes > 0 ? 1 : 0
        _ = file.highestDefinedVersion(prefix: "GLIBC_")
        return total
    }

    /// Every byte up to the end of the program header table, both ends of every segment, every
    /// edge of the tables the parser reads (dynamic section, symbols, strings, hashes, versions,
    /// Go build information; see ``SectionTable/tableTruncations``), and every 16th byte elsewhere
    /// (every 1024th of the large Go files). The fixtures are little-endian.
    static func truncationLengths(_ bytes: [UInt8]) -> [Int] {
        func value(_ offset: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        let is64 = bytes[4] == 2
        let phoff = value(is64 ? 32 : 28, is64 ? 8 : 4)
        let phnum = value(is64 ? 56 : 44, 2)
        let entry = is64 ? 56 : 32
        var lengths = Set(0...min(bytes.count, phoff + phnum * entry + 64))
        for index in 0..<phnum {
            let start = phoff + index * entry
            let offset = value(start + (is64 ? 8 : 4), is64 ? 8 : 4)
            let size = value(start + (is64 ? 32 : 16), is64 ? 8 : 4)
            for edge in [offset, offset + size] { lengths.formUnion([edge - 1, edge, edge + 1]) }
        }
        lengths.formUnion(SectionTable(bytes)?.tableTruncations ?? [])
        lengths.formUnion(stride(from: 0, to: bytes.count, by: max(16, bytes.count / 1024)))
        return lengths.filter { $0 >= 0 && $0 <= bytes.count }.sorted()
    }

    @Test("truncation at every header boundary", arguments: seeds)
    func truncation(name: String) throws {
        let bytes = try Fixtures.elf(name)
        for length in Self.truncationLengths(bytes) {
            let truncated = Array(bytes[0..<length])
            Self.exercise(truncated)
            let ranges = ELFFile.rangesToCapture(prefix: Array(truncated.prefix(ELFFile.probeLength)), fileSize: length)
            Self.exercise(SparseBytes(keeping: ranges, of: truncated))
        }
    }

    @Test(
        "the truncations reach the tables each seed has",
        arguments: [
            ("glibc/usever", [".dynamic", ".dynsym", ".dynstr", ".gnu.hash", ".gnu.version", ".gnu.version_r"]),
            ("glibc/libver-new.so", [".dynamic", ".dynsym", ".gnu.version", ".gnu.version_d"]),
            ("glibc/hello-sysvhash", [".dynamic", ".hash"]),
            ("glibc/hello-m32", [".dynamic", ".dynsym", ".gnu.version_r"]),
            ("go/cgo", [".dynamic", ".dynsym", ".gnu.version_r", ".go.buildinfo"]),
            ("go/static", [".go.buildinfo"]),
        ])
    func tablesFound(name: String, sections: [String]) throws {
        // Section names as `readelf -SW` lists them for these fixtures.
        let bytes = try Fixtures.elf(name)
        let table = try #require(SectionTable(bytes))
        let found = Set(table.parsedTables.map(\.name))
        #expect(Set(sections).isSubset(of: found), "\(name): \(found.sorted())")
        let lengths = Set(Self.truncationLengths(bytes))
        for section in table.parsedTables where sections.contains(section.name) {
            #expect(
                lengths.isSuperset(of: [
                    section.offset - 1, section.offset, section.offset + 1, section.range.upperBound,
                ]))
        }
    }

    @Test("a file whose size lies (captured ranges claim a bigger file)")
    func lyingSize() throws {
        let bytes = try Fixtures.elf("glibc/usever")
        for size in [bytes.count + 1, bytes.count * 2, Int.max / 2] {
            Self.exercise(SparseBytes(size: size, chunks: [(0, bytes)]))
            _ = ELFFile.rangesToCapture(prefix: Array(bytes.prefix(ELFFile.probeLength)), fileSize: size)
        }
    }

    @Test("random mutations of real files", arguments: seeds)
    func mutations(name: String) throws {
        let original = try Fixtures.elf(name)
        var random = SplitMix(state: UInt64(truncatingIfNeeded: name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        let interesting: [UInt64] = [
            0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, .max, .max / 2,
        ]
        // Most mutations hit the headers and the tables the parser reads (Go's build information
        // lies far past the first pages).
        let tables = (SectionTable(original)?.parsedTables ?? []).map(\.range).filter { !$0.isEmpty }
        let targets = [0..<min(original.count, 4096), 0..<original.count] + tables
        for _ in 0..<500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let target = targets.randomElement(using: &random) ?? 0..<bytes.count
                let position = Int.random(in: target, using: &random)
                if Bool.random(using: &random) {
                    bytes[position] = UInt8.random(in: 0...255, using: &random)
                } else {
                    let value = interesting.randomElement(using: &random) ?? 0
                    let width = [2, 4, 8].randomElement(using: &random) ?? 4
                    for k in 0..<width where position + k < bytes.count {
                        bytes[position + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))
                    }
                }
            }
            Self.exercise(bytes)
            let ranges = ELFFile.rangesToCapture(
                prefix: Array(bytes.prefix(ELFFile.probeLength)), fileSize: bytes.count)
            Self.exercise(SparseBytes(keeping: ranges, of: bytes))
        }
    }

    @Test("hand-built hostile values: huge counts, offsets past the end, self-referencing chains")
    func handBuilt() {
        var builder = HandBuiltTests.sample(is64: true, bigEndian: true, machine: 22)
        builder.needed = Array(repeating: "libx.so", count: 50)
        let base = builder.build()
        // Overwrite every aligned word of the file, one at a time, with extreme values.
        for position in stride(from: 0, to: base.count - 8, by: 4) {
            for value: UInt8 in [0x00, 0xff, 0x7f] {
                var bytes = base
                for k in 0..<8 { bytes[position + k] = value }
                Self.exercise(bytes)
            }
        }
    }

    @Test("errors say what went wrong")
    func errors() {
        #expect(throws: ELFError.notELF) { try ELFFile(parsing: [UInt8]()) }
        #expect(throws: ELFError.notELF) { try ELFFile(parsing: Array("#!/bin/sh\n".utf8)) }
        #expect(throws: ELFError.truncated(offset: 0, length: 16)) {
            try ELFFile(parsing: [0x7f, 0x45, 0x4c, 0x46, 2])
        }
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0...3] = [0x7f, 0x45, 0x4c, 0x46]
        bytes[4] = 3
        #expect(throws: ELFError.unsupportedClass(3)) { try ELFFile(parsing: bytes) }
        bytes[4] = 2
        bytes[5] = 9
        #expect(throws: ELFError.unsupportedDataEncoding(9)) { try ELFFile(parsing: bytes) }
    }
}
