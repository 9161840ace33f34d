import ImageAuditELF
import ImageAuditOCI

/// The architecture questions the audit asks about an ELF file, answered from the one table
/// in `ImageAuditELF` (``ELFArchitecture``, ``ELFMachine/fileName``).
extension ELFFacts {
    var elfMachine: ELFMachine { ELFMachine(rawValue: machine) }
    var elfClass: ELFClass { is64Bit ? .elf64 : .elf32 }
    var dataEncoding: ELFDataEncoding { isLittleEndian ? .littleEndian : .bigEndian }

    /// "ELF 64-bit LSB x86-64", as `file` would say it.
    var fileDescription: String {
        ELFArchitecture.fileDescription(machine: elfMachine, elfClass: elfClass, dataEncoding: dataEncoding)
    }

    /// Whether a Linux kernel for `platform` executes the file (natively, or 32-bit x86 on amd64
    /// and 32-bit arm on arm64). An architecture the table does not know is not judged: true.
    func runs(on platform: Platform) -> Bool {
        guard let architecture = ELFArchitecture(ociName: platform.normalized.architecture) else { return true }
        return architecture.kernelRuns(machine: elfMachine, elfClass: elfClass, dataEncoding: dataEncoding)
    }

    /// The Docker/Go name of the platform the file is built for, e.g. `linux/arm64`.
    var platformName: String? {
        let architecture = ELFArchitecture(machine: elfMachine, elfClass: elfClass, dataEncoding: dataEncoding)
        return architecture.map { "linux/\($0.ociName)" }
    }
}
