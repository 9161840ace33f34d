/// `EI_CLASS`: 32- or 64-bit.
public enum ELFClass: UInt8, Sendable, Hashable, Codable, CustomStringConvertible {
    case elf32 = 1
    case elf64 = 2

    /// `ELFCLASS32` / `ELFCLASS64`, the spelling glibc uses in its messages.
    public var description: String { self == .elf32 ? "ELFCLASS32" : "ELFCLASS64" }
}

/// `EI_DATA`: the byte order of every multi-byte field.
public enum ELFDataEncoding: UInt8, Sendable, Hashable, Codable {
    case littleEndian = 1
    case bigEndian = 2
}

/// `e_type`: what kind of object file this is. Unknown values are kept.
public struct ELFFileType: RawRepresentable, Sendable, Hashable, Codable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let relocatable = ELFFileType(rawValue: 1)
    public static let executable = ELFFileType(rawValue: 2)
    public static let sharedObject = ELFFileType(rawValue: 3)
    public static let core = ELFFileType(rawValue: 4)
}

/// The ELF header fields the audit uses (System V ABI, "ELF Header").
public struct ELFHeader: Sendable, Hashable {
    public let elfClass: ELFClass
    public let dataEncoding: ELFDataEncoding
    /// `EI_OSABI`: 0 for System V (what Linux files normally carry), 3 for GNU/Linux.
    public let osABI: UInt8
    public let abiVersion: UInt8
    public let type: ELFFileType
    public let machine: ELFMachine
    /// `e_version`; 1 for every valid file.
    public let version: UInt32
    public let entry: UInt64
    /// `e_flags`: processor-specific (ARM float ABI, MIPS ABI …).
    public let flags: UInt32
    let programHeaderOffset: UInt64
    let programHeaderEntrySize: UInt16
    let programHeaderCount: UInt16
    let sectionHeaderOffset: UInt64
    let sectionHeaderEntrySize: UInt16
    let sectionHeaderCount: UInt16

    /// The size of the ELF header for the class.
    static func size(of elfClass: ELFClass) -> Int { elfClass == .elf64 ? 64 : 52 }
    /// `PN_XNUM`: the real program header count is in section header 0's `sh_info`.
    static let extendedNumbering: UInt16 = 0xffff

    var is64: Bool { elfClass == .elf64 }

    /// Reads `e_ident` and the rest of the header from the start of `source`.
    init(parsing source: some ELFByteSource) throws(ELFError) {
        let magic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        guard let head = source.bytes(in: 0..<min(4, source.size)), head.elementsEqual(magic) else { throw .notELF }
        guard let ident = source.bytes(in: 0..<16) else { throw .truncated(offset: 0, length: 16) }
        let i = ident.startIndex
        guard let elfClass = ELFClass(rawValue: ident[i + 4]) else { throw .unsupportedClass(ident[i + 4]) }
        guard let data = ELFDataEncoding(rawValue: ident[i + 5]) else { throw .unsupportedDataEncoding(ident[i + 5]) }
        let size = Self.size(of: elfClass)
        guard let block = source.bytes(in: 0..<min(size, source.size)), block.count == size else {
            throw .truncated(offset: 0, length: size)
        }
        let view = ByteView(base: 0, bytes: block, bigEndian: data == .bigEndian)
        let is64 = elfClass == .elf64
        self.elfClass = elfClass
        dataEncoding = data
        osABI = ident[i + 7]
        abiVersion = ident[i + 8]
        type = ELFFileType(rawValue: try view.u16(16))
        machine = ELFMachine(rawValue: try view.u16(18))
        version = try view.u32(20)
        entry = try view.word(24, is64: is64)
        programHeaderOffset = try view.word(is64 ? 32 : 28, is64: is64)
        sectionHeaderOffset = try view.word(is64 ? 40 : 32, is64: is64)
        flags = try view.u32(is64 ? 48 : 36)
        programHeaderEntrySize = try view.u16(is64 ? 54 : 42)
        programHeaderCount = try view.u16(is64 ? 56 : 44)
        sectionHeaderEntrySize = try view.u16(is64 ? 58 : 46)
        sectionHeaderCount = try view.u16(is64 ? 60 : 48)
    }
}
