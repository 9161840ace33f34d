/// Builds small dynamic ELF files byte by byte, for classes, byte orders and machines the host
/// toolchain cannot produce (big-endian, foreign architectures) and for hostile variations.
///
/// Layout: ELF header, program headers (`PT_LOAD` over the whole file, then `PT_INTERP` and
/// `PT_DYNAMIC` when present), interpreter, `.dynstr`, `.dynsym`, `DT_HASH`, `DT_VERSYM`,
/// `DT_VERDEF`, `DT_VERNEED`, `.dynamic`. No section headers, like a stripped-to-the-bone file.
public struct ELFBuilder {
    /// A dynamic symbol; `version` names a definition (defined) or a requirement (undefined).
    public struct Symbol {
        public var name: String
        public var defined: Bool
        public var weak: Bool
        public var type: UInt8
        public var version: String?
        public var hidden: Bool

        public init(
            _ name: String, defined: Bool, weak: Bool = false, type: UInt8 = 2, version: String? = nil,
            hidden: Bool = false
        ) {
            self.name = name
            self.defined = defined
            self.weak = weak
            self.type = type
            self.version = version
            self.hidden = hidden
        }
    }

    public var is64 = true
    public var bigEndian = false
    public var machine: UInt16 = 62
    public var type: UInt16 = 3
    public var osABI: UInt8 = 0
    public var baseAddress: UInt64 = 0
    public var interpreter: String?
    public var needed: [String] = []
    public var soname: String?
    public var rpath: String?
    public var runpath: String?
    public var flags1: UInt64 = 0
    public var symbols: [Symbol] = []
    /// Versions defined (the base entry, named after the soname, is added in front).
    public var versionDefinitions: [String] = []
    public var versionNeeds: [(file: String, versions: [String])] = []
    public var hasDynamicSection = true
    /// `e_entry` relative to `baseAddress` (0: the ELF header, a shared library's usual value).
    public var entryOffset: UInt64 = 0

    public init() {}

    /// The file.
    public func build() -> [UInt8] {
        var strings = StringTableBuilder()
        for name in needed { _ = strings.add(name) }
        let headerSize = is64 ? 64 : 52
        let phEntry = is64 ? 56 : 32
        let phCount = 1 + (interpreter == nil ? 0 : 1) + (hasDynamicSection ? 1 : 0)
        var file = ByteWriter(bigEndian: bigEndian)
        file.pad(to: headerSize + phCount * phEntry)
        let interpOffset = file.count
        if let interpreter { file.bytes += Array(interpreter.utf8) + [0] }
        let interpSize = file.count - interpOffset

        // Version index assignment: 1 = base definition, then definitions, then requirements.
        var definitionIndex: [String: UInt16] = [:]
        var requirementIndex: [String: UInt16] = [:]
        var next: UInt16 = 2
        for name in versionDefinitions {
            definitionIndex[name] = next
            next += 1
        }
        for need in versionNeeds {
            for name in need.versions {
                requirementIndex[name] = next
                next += 1
            }
        }
        let hasVersions = !versionDefinitions.isEmpty || !versionNeeds.isEmpty

        var symtab = ByteWriter(bigEndian: bigEndian)
        symtab.pad(to: is64 ? 24 : 16)
        var versym = ByteWriter(bigEndian: bigEndian)
        versym.u16(0)
        for symbol in symbols {
            let name = UInt32(strings.add(symbol.name))
            let info = UInt8(symbol.weak ? 2 : 1) << 4 | symbol.type
            let section: UInt16 = symbol.defined ? 7 : 0
            let value: UInt64 = symbol.defined ? 0x1000 : 0
            if is64 {
                symtab.u32(name)
                symtab.u8(info)
                symtab.u8(0)
                symtab.u16(section)
                symtab.u64(value)
                symtab.u64(8)
            } else {
                symtab.u32(name)
                symtab.u32(UInt32(value))
                symtab.u32(8)
                symtab.u8(info)
                symtab.u8(0)
                symtab.u16(section)
            }
            let index = symbol.version.flatMap { symbol.defined ? definitionIndex[$0] : requirementIndex[$0] } ?? 1
            versym.u16(index | (symbol.hidden ? 0x8000 : 0))
        }
        let symbolCount = symbols.count + 1

        var hash = ByteWriter(bigEndian: bigEndian)
        hash.u32(1)
        hash.u32(UInt32(symbolCount))
        hash.u32(UInt32(symbolCount - 1))
        for index in 0..<symbolCount { hash.u32(UInt32(max(0, index - 1))) }

        var verdef = ByteWriter(bigEndian: bigEndian)
        let definitions = versionDefinitions.isEmpty ? [] : [soname ?? "base"] + versionDefinitions
        for (position, name) in definitions.enumerated() {
            let last = position == definitions.count - 1
            verdef.u16(1)
            verdef.u16(position == 0 ? 1 : 0)
            verdef.u16(UInt16(position + 1))
            verdef.u16(1)
            verdef.u32(Self.elfHash(name))
            verdef.u32(20)
            verdef.u32(last ? 0 : 28)
            verdef.u32(UInt32(strings.add(name)))
            verdef.u32(0)
        }
        var verneed = ByteWriter(bigEndian: bigEndian)
        for (position, need) in versionNeeds.enumerated() {
            let last = position == versionNeeds.count - 1
            verneed.u16(1)
            verneed.u16(UInt16(need.versions.count))
            verneed.u32(UInt32(strings.add(need.file)))
            verneed.u32(16)
            verneed.u32(last ? 0 : UInt32(16 + 16 * need.versions.count))
            for (k, name) in need.versions.enumerated() {
                verneed.u32(Self.elfHash(name))
                verneed.u16(0)
                verneed.u16(requirementIndex[name] ?? 0)
                verneed.u32(UInt32(strings.add(name)))
                verneed.u32(k == need.versions.count - 1 ? 0 : 16)
            }
        }
        for path in [soname, rpath, runpath].compactMap({ $0 }) { _ = strings.add(path) }

        func place(_ section: ByteWriter, align: Int) -> UInt64 {
            file.pad(to: (file.count + align - 1) / align * align)
            let address = baseAddress + UInt64(file.count)
            file.bytes += section.bytes
            return address
        }
        let strtab = place(ByteWriter(bytes: strings.bytes, bigEndian: bigEndian), align: 1)
        let symtabAddress = place(symtab, align: 8)
        let hashAddress = place(hash, align: 4)
        let versymAddress = place(versym, align: 2)
        let verdefAddress = place(verdef, align: 4)
        let verneedAddress = place(verneed, align: 4)

        var dynamic = ByteWriter(bigEndian: bigEndian)
        func entry(_ tag: UInt64, _ value: UInt64) {
            dynamic.word(tag, is64: is64)
            dynamic.word(value, is64: is64)
        }
        for name in needed { entry(1, UInt64(strings.offset(of: name))) }
        if let soname { entry(14, UInt64(strings.offset(of: soname))) }
        if let rpath { entry(15, UInt64(strings.offset(of: rpath))) }
        if let runpath { entry(29, UInt64(strings.offset(of: runpath))) }
        entry(4, hashAddress)
        entry(5, strtab)
        entry(6, symtabAddress)
        entry(10, UInt64(strings.bytes.count))
        entry(11, UInt64(is64 ? 24 : 16))
        if hasVersions { entry(0x6fff_fff0, versymAddress) }
        if !definitions.isEmpty {
            entry(0x6fff_fffc, verdefAddress)
            entry(0x6fff_fffd, UInt64(definitions.count))
        }
        if !versionNeeds.isEmpty {
            entry(0x6fff_fffe, verneedAddress)
            entry(0x6fff_ffff, UInt64(versionNeeds.count))
        }
        if flags1 != 0 { entry(0x6fff_fffb, flags1) }
        entry(0, 0)
        let dynamicAddress = hasDynamicSection ? place(dynamic, align: 8) : 0
        let dynamicSize = UInt64(dynamic.bytes.count)

        var header = ByteWriter(bigEndian: bigEndian)
        header.bytes += [0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, bigEndian ? 2 : 1, 1, osABI]
        header.pad(to: 16)
        header.u16(type)
        header.u16(machine)
        header.u32(1)
        header.word(baseAddress + entryOffset, is64: is64)
        header.word(UInt64(headerSize), is64: is64)
        header.word(0, is64: is64)
        header.u32(0)
        header.u16(UInt16(headerSize))
        header.u16(UInt16(phEntry))
        header.u16(UInt16(phCount))
        header.u16(is64 ? 64 : 40)
        header.u16(0)
        header.u16(0)
        let total = UInt64(file.count)
        header.programHeader(type: 1, flags: 7, offset: 0, address: baseAddress, size: total, is64: is64)
        if interpreter != nil {
            header.programHeader(
                type: 3, flags: 4, offset: UInt64(interpOffset), address: baseAddress + UInt64(interpOffset),
                size: UInt64(interpSize), is64: is64)
        }
        if hasDynamicSection {
            header.programHeader(
                type: 2, flags: 6, offset: dynamicAddress - baseAddress, address: dynamicAddress, size: dynamicSize,
                is64: is64)
        }
        file.bytes.replaceSubrange(0..<header.bytes.count, with: header.bytes)
        return file.bytes
    }

    /// The System V ABI `elf_hash` of a name (stored in version entries).
    public static func elfHash(_ name: String) -> UInt32 {
        var hash: UInt32 = 0
        for byte in name.utf8 {
            hash = (hash << 4) &+ UInt32(byte)
            let high = hash & 0xf000_0000
            if high != 0 { hash ^= high >> 24 }
            hash &= ~high
        }
        return hash
    }
}

/// Appends integers in a chosen byte order.
struct ByteWriter {
    var bytes: [UInt8] = []
    let bigEndian: Bool

    init(bytes: [UInt8] = [], bigEndian: Bool) {
        self.bytes = bytes
        self.bigEndian = bigEndian
    }

    var count: Int { bytes.count }

    mutating func pad(to size: Int) {
        if bytes.count < size { bytes += [UInt8](repeating: 0, count: size - bytes.count) }
    }
    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { append(UInt64(value), 2) }
    mutating func u32(_ value: UInt32) { append(UInt64(value), 4) }
    mutating func u64(_ value: UInt64) { append(value, 8) }
    mutating func word(_ value: UInt64, is64: Bool) { append(value, is64 ? 8 : 4) }

    private mutating func append(_ value: UInt64, _ size: Int) {
        for k in 0..<size {
            let shift = UInt64(8 * (bigEndian ? size - 1 - k : k))
            bytes.append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }

    mutating func programHeader(type: UInt32, flags: UInt32, offset: UInt64, address: UInt64, size: UInt64, is64: Bool)
    {
        if is64 {
            u32(type)
            u32(flags)
            u64(offset)
            u64(address)
            u64(address)
            u64(size)
            u64(size)
            u64(8)
        } else {
            u32(type)
            u32(UInt32(offset))
            u32(UInt32(address))
            u32(UInt32(address))
            u32(UInt32(size))
            u32(UInt32(size))
            u32(flags)
            u32(4)
        }
    }
}

/// A string table with the empty string at offset 0 and each string stored once.
struct StringTableBuilder {
    private(set) var bytes: [UInt8] = [0]
    private var offsets: [String: Int] = ["": 0]

    mutating func add(_ string: String) -> Int {
        if let offset = offsets[string] { return offset }
        let offset = bytes.count
        bytes += Array(string.utf8) + [0]
        offsets[string] = offset
        return offset
    }

    func offset(of string: String) -> Int { offsets[string] ?? 0 }
}
