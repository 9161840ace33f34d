/// What the kernel's ELF loader (`load_elf_binary` in fs/binfmt_elf.c) reads of a program before
/// any of its code runs, beyond the header: the `PT_INTERP` segment, the extents of the
/// `PT_LOAD` segments against the file size, and where the entry point lands. Kept for every
/// file whose program headers could be read, even when no other table could, so that a file
/// the kernel refuses is never mistaken for one the audit could not read.
public struct ExecLayout: Sendable, Hashable {
    /// The first `PT_INTERP` segment (the only one the kernel reads).
    public struct Interpreter: Sendable, Hashable {
        /// `p_filesz`: the kernel wants 2…`PATH_MAX` (4096) bytes, the last one NUL.
        public let length: UInt64
        /// Whether `p_offset + p_filesz` lies past the end of the file: the kernel's read
        /// comes up short and execve fails with `EIO`.
        public let pastEnd: Bool
        /// Whether the last byte is NUL; nil when that byte was not kept (or lies past the end).
        public let terminated: Bool?
    }

    /// The `PT_LOAD` segments whose file bytes run past the end of the file.
    public struct CutSegment: Sendable, Hashable {
        /// The first cut segment, in file order.
        public let offset: UInt64
        public let fileSize: UInt64
        /// How many bytes the file lacks: the furthest segment end minus the file size.
        public let missingBytes: UInt64
        /// Whether a whole page of a segment lies past the end of the file: the kernel maps it,
        /// and touching it gives SIGBUS. (Bytes missing from the file's last, partly backed page
        /// read as zeros instead.) Pages of 4 KiB, the smallest any Linux port uses.
        public let missesPages: Bool
        /// Whether the kernel itself writes to such a page: a writable segment with a
        /// zero-filled tail (`p_memsz > p_filesz`) whose file bytes end inside a missing page,
        /// cleared by `padzero` while the file is mapped. The fault kills the process with
        /// SIGSEGV before it runs.
        public let clearedByKernel: Bool
    }

    /// Where `e_entry` lands once the file is mapped.
    public enum Entry: String, Sendable, Hashable, Codable {
        /// In the file bytes of an executable `PT_LOAD` segment.
        case code
        /// Zero: for a position-independent file, its own ELF header (a shared library's usual
        /// `e_entry`); for a fixed-address one, the unmapped page 0.
        case zero
        /// In an executable segment, but past its file bytes (memory the kernel zero-fills: the
        /// code of a separate debug-info file, whose `.text` is `SHT_NOBITS`).
        case noFileBytes
        /// In a segment that is not executable, or in none.
        case notCode
    }

    /// `e_phnum` as the header holds it.
    public let programHeaderCount: Int
    /// Whether the kernel refuses the program header table (`ENOEXEC`, `load_elf_phdrs`): no
    /// entries, or more than 64 KiB of them. (The reader itself accepts `e_phnum` 0, and
    /// `PN_XNUM` with the count in section header 0, which the kernel does not know.)
    public let programHeaderCountRefused: Bool
    public let interpreter: Interpreter?
    /// The first cut segment, in file order.
    public let cutSegment: CutSegment?
    public let entry: Entry
    /// Every executable `PT_LOAD` segment has a memory size but no file bytes: what
    /// `objcopy --only-keep-debug` (and `strip --only-keep-debug`) leaves of a program.
    public let codeHasNoFileBytes: Bool

    /// The largest program header table the kernel reads (`load_elf_phdrs`: at most 64 KiB).
    public static let maxProgramHeaderTableSize = 65_536

    init(header: ELFHeader, programHeaders: [ProgramHeader], source: some ELFByteSource) {
        let size = UInt64(source.size)
        programHeaderCount = Int(header.programHeaderCount)
        let tableSize = programHeaderCount * ProgramHeader.entrySize(is64: header.is64)
        programHeaderCountRefused = programHeaderCount == 0 || tableSize > Self.maxProgramHeaderTableSize
        interpreter = programHeaders.first { $0.type == ProgramHeader.interpreter }.map { segment in
            let (end, overflow) = segment.offset.addingReportingOverflow(segment.fileSize)
            let pastEnd = overflow || end > size
            var terminated: Bool?
            if !pastEnd, segment.fileSize > 0, let last = Int(exactly: end - 1),
                let byte = source.bytes(in: last..<(last + 1))
            {
                terminated = byte.first == 0
            }
            return Interpreter(length: segment.fileSize, pastEnd: pastEnd, terminated: terminated)
        }
        let loads = programHeaders.filter(\.isLoad)
        cutSegment = Self.cut(loads.sorted { $0.offset < $1.offset }, size: size)
        let code = loads.filter { $0.isExecutable && $0.memorySize > 0 }
        codeHasNoFileBytes = !code.isEmpty && code.allSatisfy { $0.fileSize == 0 }
        entry = Self.placement(of: header.entry, in: loads)
    }

    static let pageSize: UInt64 = 4096

    private static func cut(_ loads: [ProgramHeader], size: UInt64) -> CutSegment? {
        // A segment without file bytes is all zero-filled memory: it needs nothing of the file.
        let cut = loads.compactMap { segment -> (ProgramHeader, end: UInt64)? in
            guard segment.fileSize > 0 else { return nil }
            let (end, overflow) = segment.offset.addingReportingOverflow(segment.fileSize)
            return overflow || end > size ? (segment, overflow ? .max : end) : nil
        }
        guard let first = cut.first, let furthest = cut.map(\.end).max() else { return nil }
        let pageStart = { (offset: UInt64) in offset & ~(pageSize - 1) }
        let missesPages = cut.contains { pageStart($0.end - 1) >= size }
        let cleared = cut.contains { segment, end in
            segment.isWritable && segment.memorySize > segment.fileSize && end % pageSize != 0 && pageStart(end) >= size
        }
        return CutSegment(
            offset: first.0.offset, fileSize: first.0.fileSize, missingBytes: furthest - size,
            missesPages: missesPages, clearedByKernel: cleared)
    }

    private static func placement(of entry: UInt64, in loads: [ProgramHeader]) -> Entry {
        if entry == 0 { return .zero }
        for segment in loads
        where entry >= segment.virtualAddress && entry - segment.virtualAddress < segment.memorySize {
            guard segment.isExecutable else { return .notCode }
            return entry - segment.virtualAddress < segment.fileSize ? .code : .noFileBytes
        }
        return .notCode
    }
}
