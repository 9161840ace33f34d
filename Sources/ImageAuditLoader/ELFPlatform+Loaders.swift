import ImageAuditELF

extension ELFPlatform {
    /// The `PT_INTERP` paths programs of this platform name: glibc's (as its ABI documents fix
    /// them) first, then musl's `/lib/ld-musl-ARCH.so.1`. A shared library has no `PT_INTERP`;
    /// whichever of these an image holds is the loader that would load it.
    public var loaderPaths: [String] {
        var glibc: [String] {
            switch machine {
            case .x86_64 where elfClass == .elf64: ["/lib64/ld-linux-x86-64.so.2"]
            case .x86_64: ["/libx32/ld-linux-x32.so.2"]
            case .i386: ["/lib/ld-linux.so.2"]
            case .aarch64: ["/lib/ld-linux-aarch64.so.1"]
            case .arm: flags & Self.armHardFloat != 0 ? ["/lib/ld-linux-armhf.so.3"] : ["/lib/ld-linux.so.3"]
            case .ppc64: dataEncoding == .littleEndian ? ["/lib64/ld64.so.2"] : ["/lib64/ld64.so.1"]
            case .s390: ["/lib/ld64.so.1"]
            case .riscv: ["/lib/ld-linux-riscv64-lp64d.so.1"]
            case .loongarch: ["/lib64/ld-linux-loongarch-lp64d.so.1"]
            case .mips: ["/lib64/ld.so.1"]
            default: []
            }
        }
        return glibc + [muslArch.map { "/lib/ld-musl-\($0).so.1" }].compactMap { $0 }
    }
}
