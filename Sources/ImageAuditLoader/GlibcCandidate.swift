import ImageAuditELF
import ImageAuditFS

/// glibc's `open_verify` and the early checks of `_dl_map_object_from_fd` on one candidate file.
enum GlibcCandidate {
    /// Whether a candidate file can be used, should be skipped, or stops the load.
    static func check(_ opened: ImageFiles.Opened, platform: ELFPlatform) -> CandidateResult {
        let headerSize = platform.elfClass == .elf64 ? 64 : 52
        switch opened.attributes.type {
        case .directory:
            // open(2) succeeds on a directory; read(2) then fails with EISDIR. rtld's own strerror
            // prints it as "Error 21" (seen with glibc 2.36).
            return .unusable("cannot read file data: Error 21")
        case .regular:
            break
        default:
            return .unusable("file too short")
        }
        guard let content = opened.content else { return .unknownContent }
        guard let parsed = content.elf else {
            return .unusable(opened.attributes.size < Int64(headerSize) ? "file too short" : "invalid ELF header")
        }
        switch parsed {
        case .failure(let error):
            return failure(error, size: opened.attributes.size, headerSize: headerSize)
        case .success(let file):
            return check(file, platform: platform)
        }
    }

    private static func failure(_ error: ELFError, size: Int64, headerSize: Int) -> CandidateResult {
        switch error {
        case .notELF: .unusable(size < Int64(headerSize) ? "file too short" : "invalid ELF header")
        case .unsupportedClass(let value): .wrongClass("ELFCLASS\(value)")
        case .unsupportedDataEncoding: .unusable("ELF file data encoding not little-endian")
        case .truncated(let offset, _) where offset < headerSize: .unusable("file too short")
        case .truncated: .unusable("cannot read file data")
        case .malformed(let field, _) where field == "e_phentsize":
            .unusable("ELF file's phentsize not the expected size")
        case .malformed: .unknownContent
        }
    }

    /// The header checks, in glibc's order.
    static func check(_ file: ELFFile, platform: ELFPlatform) -> CandidateResult {
        let header = file.header
        if header.elfClass != platform.elfClass { return .wrongClass(header.elfClass.description) }
        if header.dataEncoding != platform.dataEncoding {
            return .unusable(
                "ELF file data encoding not \(platform.dataEncoding == .littleEndian ? "little" : "big")-endian")
        }
        // VALID_ELF_OSABI on Linux: System V (0) or GNU (3).
        if header.osABI != 0 && header.osABI != 3 { return .unusable("ELF file OS ABI invalid") }
        if header.osABI == 0 && header.abiVersion != 0 { return .unusable("ELF file ABI version invalid") }
        if header.version != 1 { return .unusable("ELF file version does not match current one") }
        if header.machine != platform.machine { return .wrongMachine(header.machine.description) }
        if header.type != .sharedObject && header.type != .executable {
            return .unusable("only ET_DYN and ET_EXEC can be loaded")
        }
        return .accepted
    }

    /// `_dl_map_object_from_fd` on a file that is not already loaded: what stops it from being a
    /// library. The message names the requested name, as glibc's does.
    static func mappingProblem(_ file: ELFFile) -> String? {
        if file.header.type != .sharedObject { return "cannot dynamically load executable" }
        guard let dynamic = file.dynamic else {
            let unread = file.issues.contains { $0.table == .dynamicSection }
            return unread ? nil : "object file has no dynamic section"
        }
        if dynamic.isPIE { return "cannot dynamically load position-independent executable" }
        return nil
    }
}
