/// The kind of a symbol (`STT_*`), as far as loading cares.
public enum SymbolType: UInt8, Sendable, Hashable, Codable {
    case noType = 0
    case object = 1
    case function = 2
    case common = 5
    case tls = 6
    case indirectFunction = 10
    case other = 15
}

/// How an object's relocations use an undefined symbol, which decides when the loader looks it up.
public enum SymbolReference: UInt8, Sendable, Hashable, Codable {
    /// The relocations were not read (not captured, or an unsupported layout): assume the worst.
    case unknown = 0
    /// Only through `DT_JMPREL` (PLT slots): glibc binds it at the first call unless BIND_NOW.
    case lazy = 1
    /// By a relocation processed at start (`GLOB_DAT`, absolute, copy …).
    case eager = 2
    /// No relocation uses it: no loader looks it up.
    case unused = 3
    /// A copy relocation (`R_*_COPY`) in an executable: the executable holds a copy of a data
    /// symbol that must be found, at start, in another object.
    case copy = 4
}

/// A symbol an object needs from elsewhere.
public struct UndefinedSymbol: Sendable, Hashable {
    public let name: String
    /// The version required (`GLIBC_2.34`), when `DT_VERSYM` names one.
    public let version: String?
    /// The `DT_NEEDED` name the version is required from (`libc.so.6`).
    public let versionFile: String?
    /// `STB_WEAK`: a missing weak symbol is not an error.
    public let isWeak: Bool
    public let type: SymbolType
    public let reference: SymbolReference
    /// A hash of the name, for ``DynamicSymbols/defines(_:checkingVersions:)``.
    public let nameHash: UInt64

    public init(
        name: String, version: String?, versionFile: String?, isWeak: Bool, type: SymbolType, reference: SymbolReference
    ) {
        self.init(
            name: name, version: version, versionFile: versionFile, isWeak: isWeak, type: type, reference: reference,
            nameHash: DynamicSymbols.hash(name.utf8))
    }

    init(
        name: String, version: String?, versionFile: String?, isWeak: Bool, type: SymbolType,
        reference: SymbolReference,
        nameHash: UInt64
    ) {
        self.name = name
        self.version = version
        self.versionFile = versionFile
        self.isWeak = isWeak
        self.type = type
        self.reference = reference
        self.nameHash = nameHash
    }
}

/// The dynamic symbols of an object, kept compactly: definitions only as name hashes with their
/// version, references with their names (for messages).
public struct DynamicSymbols: Sendable {
    /// Whether the whole table could be read; when false, lookups may miss definitions.
    public internal(set) var isComplete = true
    /// Whether the object has `DT_VERSYM` (glibc accepts any definition from an object without).
    public internal(set) var hasVersions = false

    /// Definitions sorted by name hash, with `versym` (bit 15: hidden, i.e. `name@VERSION`).
    var definedHashes: [UInt64] = []
    var definedVersions: [UInt16] = []
    /// `vd_ndx` → version name, for the definitions.
    var definitionNames: [UInt16: String] = [:]

    /// Undefined references: names back to back, end offsets, and packed attributes.
    var undefinedNameBytes: [UInt8] = []
    var undefinedNameEnds: [UInt32] = []
    var undefinedAttributes: [UInt32] = []
    /// `vna_other` → (version, file), for the references.
    var requirementNames: [UInt16: (version: String, file: String)] = [:]

    public init() {}

    /// How many symbols the object exports.
    public var definedCount: Int { definedHashes.count }

    /// The undefined symbols, in table order.
    public var undefined: [UndefinedSymbol] {
        var result: [UndefinedSymbol] = []
        result.reserveCapacity(undefinedAttributes.count)
        var start = 0
        for (index, attributes) in undefinedAttributes.enumerated() {
            let end = Int(undefinedNameEnds[index])
            let nameBytes = undefinedNameBytes[start..<end]
            start = end
            let versionIndex = UInt16(truncatingIfNeeded: attributes) & 0x7fff
            let requirement = requirementNames[versionIndex]
            result.append(
                UndefinedSymbol(
                    name: String(decoding: nameBytes, as: UTF8.self), version: requirement?.version,
                    versionFile: requirement?.file, isWeak: attributes & (1 << 16) != 0,
                    type: SymbolType(rawValue: UInt8((attributes >> 17) & 0xf)) ?? .other,
                    reference: SymbolReference(rawValue: UInt8((attributes >> 21) & 0x7)) ?? .unknown,
                    nameHash: Self.hash(nameBytes)))
        }
        return result
    }

    /// Whether this object exports a definition the reference can bind to.
    ///
    /// With `checkingVersions` (glibc, `check_match` in `dl-lookup.c`): a versioned reference takes a
    /// definition of that version, or an unversioned one that is not hidden; an unversioned reference
    /// takes any definition that is not hidden. An object without `DT_VERSYM` satisfies any
    /// reference. Without it (musl): any definition that is not hidden.
    public func defines(_ reference: UndefinedSymbol, checkingVersions: Bool) -> Bool {
        var index = lowerBound(reference.nameHash)
        while index < definedHashes.count, definedHashes[index] == reference.nameHash {
            let versym = definedVersions[index]
            index += 1
            guard hasVersions else { return true }
            let hidden = versym & 0x8000 != 0
            guard checkingVersions, let wanted = reference.version else {
                if !hidden { return true }
                continue
            }
            let definitionIndex = versym & 0x7fff
            if definitionNames[definitionIndex] == wanted { return true }
            if !hidden && definitionIndex <= 1 { return true }
        }
        return false
    }

    private func lowerBound(_ hash: UInt64) -> Int {
        var low = 0
        var high = definedHashes.count
        while low < high {
            let middle = (low + high) / 2
            if definedHashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// FNV-1a, 64-bit: deterministic across runs (unlike `Hasher`), good enough to tell names apart.
    public static func hash(_ name: some Sequence<UInt8>) -> UInt64 {
        hash(ArraySlice(name))
    }

    /// The same, not generic: the parser and the checks call it for every symbol.
    static func hash(_ name: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var index = name.startIndex
        while index < name.endIndex {
            hash = (hash ^ UInt64(name[index])) &* 0x0000_0100_0000_01b3
            index += 1
        }
        return hash
    }

    /// Packs the attributes of one undefined symbol.
    static func attributes(versym: UInt16, weak: Bool, type: UInt8, reference: SymbolReference) -> UInt32 {
        UInt32(versym & 0x7fff) | (weak ? 1 << 16 : 0) | UInt32(min(type, 15)) << 17 | UInt32(reference.rawValue) << 21
    }
}
