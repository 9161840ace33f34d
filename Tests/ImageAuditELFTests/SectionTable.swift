/// The section header table of a little-endian fixture, read independently of the parser under
/// test (which never reads sections): where the tables the parser reaches through `PT_DYNAMIC`
/// lie in the file, so truncations and mutations can aim at their edges.
struct SectionTable {
    struct Section {
        let name: String
        /// `sh_type`: 6 DYNAMIC, 11 DYNSYM, 3 STRTAB, 0x6ffffffe VERNEED, 0x6ffffffd VERDEF …
        let type: UInt32
        let offset: Int
        let size: Int
        /// `sh_entsize` (0 when the entries are of varying size).
        let entrySize: Int

        var range: Range<Int> { offset..<(offset + size) }
    }

    static let dynamic: UInt32 = 6
    static let dynsym: UInt32 = 11
    static let hash: UInt32 = 5
    static let gnuHash: UInt32 = 0x6fff_fff6
    static let verdef: UInt32 = 0x6fff_fffd
    static let verneed: UInt32 = 0x6fff_fffe
    static let versym: UInt32 = 0x6fff_ffff
    static let noBits: UInt32 = 8

    let sections: [Section]

    /// Nil when the file has no readable section header table.
    init?(_ bytes: [UInt8]) {
        func value(_ offset: Int, _ width: Int) -> Int? {
            guard offset >= 0, offset + width <= bytes.count else { return nil }
            return (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        let is64 = bytes.count > 4 && bytes[4] == 2
        let word = is64 ? 8 : 4
        guard let shoff = value(is64 ? 40 : 32, word), let entry = value(is64 ? 58 : 46, 2),
            let count = value(is64 ? 60 : 48, 2), let namesIndex = value(is64 ? 62 : 50, 2), count > 0
        else { return nil }
        var raw: [(name: Int, type: UInt32, offset: Int, size: Int, entrySize: Int)] = []
        for index in 0..<count {
            let base = shoff + index * entry
            guard let name = value(base, 4), let type = value(base + 4, 4),
                let offset = value(base + (is64 ? 24 : 16), word), let size = value(base + (is64 ? 32 : 20), word),
                let entrySize = value(base + (is64 ? 56 : 36), word)
            else { return nil }
            raw.append((name, UInt32(type), offset, size, entrySize))
        }
        guard namesIndex < raw.count else { return nil }
        let names = raw[namesIndex].offset
        sections = raw.map { section in
            let start = names + section.name
            let text = start < bytes.count ? bytes[start...].prefix { $0 != 0 } : []
            let size = section.type == Self.noBits ? 0 : section.size
            return Section(
                name: String(decoding: text, as: UTF8.self), type: section.type, offset: section.offset, size: size,
                entrySize: section.entrySize)
        }
    }

    /// The sections the parser reads through the dynamic section, and Go's build information.
    var parsedTables: [Section] {
        let types: Set<UInt32> = [
            Self.dynamic, Self.dynsym, Self.hash, Self.gnuHash, Self.verdef, Self.verneed, Self.versym,
        ]
        return sections.filter { types.contains($0.type) || $0.name == ".dynstr" || $0.name == ".go.buildinfo" }
    }

    /// Every length that cuts one of the parsed tables at an edge: each table's first and last
    /// bytes ±1, and every entry boundary ±1 (every byte for tables of varying entry size and
    /// for Go's build information, whose strings are varint-prefixed).
    var tableTruncations: Set<Int> {
        var lengths: Set<Int> = []
        for section in parsedTables where section.size > 0 {
            let step =
                section.name == ".go.buildinfo" || section.entrySize == 0 || section.type == Self.verneed
                    || section.type == Self.verdef ? 1 : min(section.entrySize, section.size)
            for edge in stride(from: section.offset, through: section.offset + section.size, by: step) {
                lengths.formUnion([edge - 1, edge, edge + 1])
            }
            lengths.insert(section.offset + section.size)
        }
        return lengths
    }
}
