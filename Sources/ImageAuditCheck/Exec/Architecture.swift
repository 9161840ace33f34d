import ImageAuditOCI

/// ELF machines and the image platforms whose kernels run them.
enum Architecture {
    /// `e_machine` values the audit names (elf.h).
    static let names: [UInt16: String] = [
        3: "Intel 80386", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "IBM S/390", 40: "ARM", 62: "x86-64",
        183: "AArch64", 243: "RISC-V", 258: "LoongArch",
    ]

    /// "ELF 64-bit LSB x86-64", as `file` would say it.
    static func describe(_ facts: ELFFacts) -> String {
        let machine = names[facts.machine] ?? "machine \(facts.machine)"
        return "ELF \(facts.is64Bit ? 64 : 32)-bit \(facts.isLittleEndian ? "LSB" : "MSB") \(machine)"
    }

    /// The (machine, class, endianness) triples a Linux kernel for `platform` executes natively.
    /// 32-bit x86 runs on amd64 and 32-bit ARM on arm64 (the kernels' compat mode, on by default
    /// in distribution kernels); x32 does not (CONFIG_X86_X32 is off in them).
    static func runs(_ facts: ELFFacts, on platform: Platform) -> Bool {
        let p = platform.normalized
        let m = facts.machine
        let le = facts.isLittleEndian
        switch p.architecture {
        case "amd64": return (m == 62 && facts.is64Bit && le) || (m == 3 && !facts.is64Bit)
        case "386": return m == 3 && !facts.is64Bit
        case "arm64": return (m == 183 && facts.is64Bit && le) || (m == 40 && !facts.is64Bit && le)
        case "arm": return m == 40 && !facts.is64Bit && le
        case "ppc64le": return m == 21 && facts.is64Bit && le
        case "ppc64": return m == 21 && facts.is64Bit && !le
        case "s390x": return m == 22 && facts.is64Bit && !le
        case "riscv64": return m == 243 && facts.is64Bit
        case "loong64": return m == 258 && facts.is64Bit
        case "mips64le": return m == 8 && facts.is64Bit && le
        case "mips64": return m == 8 && facts.is64Bit && !le
        case "mipsle": return m == 8 && !facts.is64Bit && le
        case "mips": return m == 8 && !facts.is64Bit && !le
        default: return true  // unknown platform: do not guess
        }
    }

    /// The Docker/Go name of the platform an ELF file is built for, e.g. `linux/arm64`.
    static func platformName(of facts: ELFFacts) -> String? {
        switch (facts.machine, facts.is64Bit) {
        case (62, true): "linux/amd64"
        case (3, false): "linux/386"
        case (183, true): "linux/arm64"
        case (40, false): "linux/arm"
        case (21, true): facts.isLittleEndian ? "linux/ppc64le" : "linux/ppc64"
        case (22, true): "linux/s390x"
        case (243, true): "linux/riscv64"
        default: nil
        }
    }
}
