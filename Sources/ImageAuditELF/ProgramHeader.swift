/// One entry of the program header table: a segment as the kernel and the loader see it.
struct ProgramHeader: Sendable, Hashable {
    static let load: UInt32 = 1
    static let dynamic: UInt32 = 2
    static let interpreter: UInt32 = 3
    static let note: UInt32 = 4
    static let programHeaders: UInt32 = 6
    static let tls: UInt32 = 7

    static let executable: UInt32 = 1
    static let writable: UInt32 = 2
    static let readable: UInt32 = 4

    let type: UInt32
    let flags: UInt32
    let offset: UInt64
    let virtualAddress: UInt64
    let fileSize: UInt64
    let memorySize: UInt64
    let align: UInt64

    var isLoad: Bool { type == Self.load }
    var isExecutable: Bool { flags & Self.executable != 0 }
    var isWritable: Bool { flags & Self.writable != 0 }

    /// The entry size the class requires; anything else is rejected, as the kernel does.
    static func entrySize(is64: Bool) -> Int { is64 ? 56 : 32 }

    init(_ view: ByteView, at start: Int, is64: Bool) throws(ELFError) {
        type = try view.u32(start)
        if is64 {
            flags = try view.u32(start + 4)
            offset = try view.u64(start + 8)
            virtualAddress = try view.u64(start + 16)
            fileSize = try view.u64(start + 32)
            memorySize = try view.u64(start + 40)
            align = try view.u64(start + 48)
        } else {
            offset = UInt64(try view.u32(start + 4))
            virtualAddress = UInt64(try view.u32(start + 8))
            fileSize = UInt64(try view.u32(start + 16))
            memorySize = UInt64(try view.u32(start + 20))
            flags = try view.u32(start + 24)
            align = UInt64(try view.u32(start + 28))
        }
    }

    /// The file bytes of the segment, clamped to `fileSize`, or nil when the values overflow.
    func fileRange(clampedTo fileSize: Int) -> Range<Int>? {
        guard let start = Int(exactly: offset), start <= fileSize else { return nil }
        let length = Int(exactly: self.fileSize).map { min($0, fileSize - start) } ?? (fileSize - start)
        return start..<(start + length)
    }
}

extension ProgramHeader {
    /// Reads the program header table `header` points at.
    ///
    /// `e_phnum == PN_XNUM` (0xffff) means the count is in section header 0's `sh_info`.
    static func table(of header: ELFHeader, in source: some ELFByteSource) throws(ELFError) -> [ProgramHeader] {
        let is64 = header.is64
        let entrySize = entrySize(is64: is64)
        var count = Int(header.programHeaderCount)
        if header.programHeaderCount == ELFHeader.extendedNumbering {
            count = try extendedCount(of: header, in: source)
        }
        guard count > 0 else { return [] }
        guard Int(header.programHeaderEntrySize) == entrySize else {
            throw .malformed(field: "e_phentsize", offset: is64 ? 54 : 42)
        }
        // The kernel reads at most 64 KiB of program headers, and refuses a table that does not
        // fit in the file (ENOEXEC, `load_elf_phdrs`); the loaders never meet bigger ones.
        guard count * entrySize <= ExecLayout.maxProgramHeaderTableSize else {
            throw .malformed(field: "e_phnum", offset: is64 ? 56 : 44)
        }
        let range = try Checked.range(
            header.programHeaderOffset, UInt64(count * entrySize), "e_phoff", at: is64 ? 32 : 28)
        guard range.upperBound <= source.size else { throw .malformed(field: "e_phoff", offset: is64 ? 32 : 28) }
        // Inside the file but not kept: `truncated`, which means "not read", never "refused".
        guard let block = source.bytes(in: range) else {
            throw .truncated(offset: range.lowerBound, length: range.count)
        }
        let view = ByteView(base: range.lowerBound, bytes: block, bigEndian: header.dataEncoding == .bigEndian)
        var table: [ProgramHeader] = []
        table.reserveCapacity(count)
        for index in 0..<count {
            table.append(try ProgramHeader(view, at: range.lowerBound + index * entrySize, is64: is64))
        }
        return table
    }

    /// `sh_info` of section header 0, which holds the program header count under `PN_XNUM`.
    static func extendedCount(of header: ELFHeader, in source: some ELFByteSource) throws(ELFError) -> Int {
        let field = header.is64 ? 44 : 28
        let range = try Checked.range(
            header.sectionHeaderOffset, UInt64(field + 4), "e_shoff", at: header.is64 ? 40 : 32)
        guard let block = source.bytes(in: range) else {
            throw .truncated(offset: range.lowerBound, length: range.count)
        }
        let view = ByteView(base: range.lowerBound, bytes: block, bigEndian: header.dataEncoding == .bigEndian)
        return Int(try view.u32(range.lowerBound + field))
    }
}
