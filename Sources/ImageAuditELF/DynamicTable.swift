/// The raw `PT_DYNAMIC` entries the reader needs, by tag; addresses are still virtual.
struct DynamicTable: Sendable {
    static let null: UInt64 = 0
    static let needed: UInt64 = 1
    static let pltRelocationsSize: UInt64 = 2
    static let hash: UInt64 = 4
    static let stringTable: UInt64 = 5
    static let symbolTable: UInt64 = 6
    static let rela: UInt64 = 7
    static let relaSize: UInt64 = 8
    static let relaEntrySize: UInt64 = 9
    static let stringTableSize: UInt64 = 10
    static let symbolEntrySize: UInt64 = 11
    static let soname: UInt64 = 14
    static let rpath: UInt64 = 15
    static let rel: UInt64 = 17
    static let relSize: UInt64 = 18
    static let relEntrySize: UInt64 = 19
    static let pltRelocationType: UInt64 = 20
    static let jumpRelocations: UInt64 = 23
    static let bindNow: UInt64 = 24
    static let runpath: UInt64 = 29
    static let flags: UInt64 = 30
    static let relr: UInt64 = 36
    static let gnuHash: UInt64 = 0x6fff_fef5
    static let versionSymbols: UInt64 = 0x6fff_fff0
    static let flags1: UInt64 = 0x6fff_fffb
    static let versionDefinitions: UInt64 = 0x6fff_fffc
    static let versionDefinitionCount: UInt64 = 0x6fff_fffd
    static let versionNeeds: UInt64 = 0x6fff_fffe
    static let versionNeedCount: UInt64 = 0x6fff_ffff

    /// The last value of each tag (the loader also keeps the last one).
    private(set) var values: [UInt64: UInt64] = [:]
    /// String-table offsets of every `DT_NEEDED`, in order.
    private(set) var neededOffsets: [UInt64] = []

    subscript(tag: UInt64) -> UInt64? { values[tag] }

    /// Reads entries from `range` of the file until `DT_NULL` or the end of the segment.
    init(_ view: ByteView, range: Range<Int>, is64: Bool) throws(ELFError) {
        let entrySize = is64 ? 16 : 8
        var offset = range.lowerBound
        while offset <= range.upperBound - entrySize {
            let tag = try view.word(offset, is64: is64)
            let value = try view.word(offset + entrySize / 2, is64: is64)
            if tag == Self.null { break }
            if tag == Self.needed { neededOffsets.append(value) }
            values[tag] = value
            offset += entrySize
        }
    }
}

/// What the dynamic section says about loading: dependencies, search paths and flags.
public struct DynamicInfo: Sendable, Hashable {
    /// `DT_NEEDED` names, in order.
    public var needed: [String] = []
    /// `DT_SONAME`.
    public var soname: String?
    /// `DT_RPATH`, unsplit (`:`-separated, tokens like `$ORIGIN` unexpanded).
    public var rpath: String?
    /// `DT_RUNPATH`, unsplit.
    public var runpath: String?
    /// `DT_FLAGS`.
    public var flags: UInt64 = 0
    /// `DT_FLAGS_1`.
    public var flags1: UInt64 = 0
    /// Whether a `DT_BIND_NOW` entry is present.
    public var hasBindNowEntry = false
    /// Whether a `DT_RELR` entry is present (packed relative relocations: glibc 2.36+, musl 1.2.4+).
    public var hasRelr = false
    /// False when the string table could not be read: ``needed``, ``soname`` and the search paths
    /// are then missing or partial, not empty.
    public var namesAreComplete = true

    public init() {}

    /// Whether the loader binds every symbol at start: `DT_BIND_NOW`, `DF_BIND_NOW` or `DF_1_NOW`.
    public var bindNow: Bool { hasBindNowEntry || flags & 0x8 != 0 || flags1 & 0x1 != 0 }
    /// `DF_1_NODEFLIB`: glibc skips the default directories (and cache entries in them).
    public var noDefaultLibraries: Bool { flags1 & 0x800 != 0 }
    /// `DF_1_PIE`: a position-independent executable, which glibc refuses to load as a library.
    public var isPIE: Bool { flags1 & 0x0800_0000 != 0 }
}
