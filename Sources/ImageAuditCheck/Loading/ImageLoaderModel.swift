import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader

/// The production ``ProgramLoading``: the ELF reader (`ImageAuditELF`) and the loader models
/// (`ImageAuditLoader`).
///
/// ``inspect`` reads what the ELF reader kept; ``link`` (ImageLoaderModel+Link.swift) runs the
/// glibc or musl loader model.
public struct ImageLoaderModel: ProgramLoading {
    public init() {}

    public func inspect(_ content: FileContent?, at path: String) -> ELFInspection {
        guard let content, content.head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return .notELF }
        switch content.elf {
        case nil:
            return .notAnalysed("the image reader kept no ELF data for it")
        case .failure(.notELF):
            return .notELF
        case .failure(.truncated(let offset, _)) where offset >= 64:
            // Inside the file but not kept (a short file fails on its header, at offset 0).
            return .notAnalysed("the image reader did not keep its program headers")
        case .failure(let error):
            // The kernel reads the same header and program headers: what we cannot, it refuses.
            return .malformed("an ELF file the kernel cannot load (\(error))")
        case .success(let elf):
            return Self.facts(of: elf)
        }
    }

    /// The audit's view of a parsed ELF file.
    static func facts(of elf: ELFFile) -> ELFInspection {
        let refusal = KernelELFRules.refusal(of: elf)
        switch elf.linkage {
        case .other:
            return .malformed("an ELF file of a type the kernel does not execute (e_type \(elf.header.type.rawValue))")
        case .dynamic where elf.interpreter == nil && refusal == nil:
            return .notAnalysed("its PT_INTERP could not be read")
        default:
            break
        }
        let go = elf.goBuildInfo.map {
            GoBuild(goVersion: $0.goVersion ?? "an unknown Go version", cgoEnabled: $0.cgoEnabled)
        }
        return .facts(
            ELFFacts(
                machine: elf.header.machine.rawValue, is64Bit: elf.header.elfClass == .elf64,
                isLittleEndian: elf.header.dataEncoding == .littleEndian,
                interpreter: elf.linkage == .dynamic ? elf.interpreter : nil, needed: elf.needed, go: go,
                kernelRefusal: refusal))
    }
}
