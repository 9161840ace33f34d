import ImageAuditELF

/// The kind of ELF object a process can load: class, byte order and machine must all match
/// (System V ABI; glibc's `elf_machine_matches_host`, the kernel's `elf_check_arch`).
public struct ELFPlatform: Sendable, Hashable, Codable, CustomStringConvertible {
    public let machine: ELFMachine
    public let elfClass: ELFClass
    public let dataEncoding: ELFDataEncoding
    /// `e_flags`, which tells ARM hard-float from soft-float.
    public let flags: UInt32

    public init(machine: ELFMachine, elfClass: ELFClass, dataEncoding: ELFDataEncoding, flags: UInt32 = 0) {
        self.machine = machine
        self.elfClass = elfClass
        self.dataEncoding = dataEncoding
        self.flags = flags
    }

    /// The platform of a parsed file.
    public init(_ file: ELFFile) {
        self.init(
            machine: file.header.machine, elfClass: file.header.elfClass, dataEncoding: file.header.dataEncoding,
            flags: file.header.flags)
    }

    /// The platform an OCI image config names (`architecture`, `variant`), or nil when unknown.
    /// 32-bit arm is hard-float (armhf) except for variant v5 (Debian's armel).
    public init?(ociArchitecture architecture: String, variant: String? = nil) {
        guard let found = ELFArchitecture(ociName: architecture) else { return nil }
        let hardFloat = found.machine == .arm && variant != "v5"
        self.init(
            machine: found.machine, elfClass: found.elfClass, dataEncoding: found.dataEncoding,
            flags: hardFloat ? Self.armHardFloat : 0)
    }

    /// `EF_ARM_ABI_FLOAT_HARD`.
    static let armHardFloat: UInt32 = 0x400

    /// Whether an object of `other` can be loaded into a process of this platform.
    public func canLoad(_ other: ELFPlatform) -> Bool {
        machine == other.machine && elfClass == other.elfClass && dataEncoding == other.dataEncoding
    }

    /// Whether the kernel of this platform can run a program built for `other`, perhaps only
    /// through a compatibility mode (i386 on amd64, arm on arm64: ``ELFArchitecture/compatibility``).
    public func kernelRuns(_ other: ELFPlatform) -> (runs: Bool, compatibilityMode: Bool) {
        if canLoad(other) { return (true, false) }
        guard let architecture = ELFArchitecture(machine: machine, elfClass: elfClass, dataEncoding: dataEncoding)
        else { return (false, false) }
        let runs = architecture.kernelRuns(
            machine: other.machine, elfClass: other.elfClass, dataEncoding: other.dataEncoding)
        return (runs, runs)
    }

    public var description: String {
        "\(machine) (\(elfClass), \(dataEncoding == .littleEndian ? "little-endian" : "big-endian"))"
    }

    // MARK: - Per-architecture loader facts

    /// `AT_PLATFORM`, what glibc substitutes for `$PLATFORM`.
    var atPlatform: String? {
        switch machine {
        case .x86_64 where elfClass == .elf64: "x86_64"
        case .x86_64, .i386: "i686"
        case .aarch64: "aarch64"
        case .arm: "v7l"
        case .ppc64: dataEncoding == .littleEndian ? "power8" : "power7"
        case .s390: "z13"
        default: nil
        }
    }

    /// The Debian multiarch triplet (`x86_64-linux-gnu`).
    var debianTriplet: String? {
        switch machine {
        case .x86_64 where elfClass == .elf64: "x86_64-linux-gnu"
        case .x86_64: "x86_64-linux-gnux32"
        case .i386: "i386-linux-gnu"
        case .aarch64: "aarch64-linux-gnu"
        case .arm: flags & Self.armHardFloat != 0 ? "arm-linux-gnueabihf" : "arm-linux-gnueabi"
        case .ppc64: dataEncoding == .littleEndian ? "powerpc64le-linux-gnu" : "powerpc64-linux-gnu"
        case .s390: "s390x-linux-gnu"
        case .riscv: "riscv64-linux-gnu"
        case .mips: "mips64el-linux-gnuabi64"
        case .loongarch: "loongarch64-linux-gnu"
        default: nil
        }
    }

    /// musl's `LDSO_ARCH`, in `/lib/ld-musl-ARCH.so.1` and `/etc/ld-musl-ARCH.path`.
    var muslArch: String? {
        switch machine {
        case .x86_64 where elfClass == .elf64: "x86_64"
        case .x86_64: "x32"
        case .i386: "i386"
        case .aarch64: dataEncoding == .littleEndian ? "aarch64" : "aarch64_be"
        case .arm: flags & Self.armHardFloat != 0 ? "armhf" : "arm"
        case .ppc64: dataEncoding == .littleEndian ? "powerpc64le" : "powerpc64"
        case .s390: "s390x"
        case .riscv: "riscv64"
        default: nil
        }
    }

    /// The `ld.so.cache` entry flags glibc accepts for this ABI (`_dl_cache_check_flags`), and
    /// the one that ends the search (`_DL_CACHE_DEFAULT_ID`). Flags: `FLAG_ELF_LIBC6` = 3 plus
    /// an ABI tag in bits 8–15 (`FLAG_X8664_LIB64` = 0x300, `FLAG_AARCH64_LIB64` = 0xa00 …).
    var cacheFlags: (accepted: Set<Int32>, exact: Int32) {
        switch machine {
        case .x86_64 where elfClass == .elf64: ([0x0303], 0x0303)
        case .x86_64: ([0x0803], 0x0803)
        case .aarch64: ([0x0a03], 0x0a03)
        case .arm: flags & Self.armHardFloat != 0 ? ([0x0903, 0x0003], 0x0903) : ([0x0b03, 0x0003], 0x0b03)
        case .ppc64 where elfClass == .elf64: ([0x0503], 0x0503)
        case .s390 where elfClass == .elf64: ([0x0403], 0x0403)
        case .riscv: ([0x1003], 0x1003)
        case .loongarch: ([0x1203], 0x1203)
        default: ([0x0001, 0x0003], 0x0003)
        }
    }

    /// The `glibc-hwcaps` subdirectory names glibc knows for this architecture, best first.
    public var glibcHWCapsNames: [String] {
        switch machine {
        case .x86_64 where elfClass == .elf64: ["x86-64-v4", "x86-64-v3", "x86-64-v2"]
        case .ppc64 where dataEncoding == .littleEndian: ["power10", "power9"]
        case .s390: ["z16", "z15", "z14", "z13"]
        case .aarch64: ["atomics"]
        default: []
        }
    }

    /// The legacy hardware-capability names (before glibc 2.37) that are always supported: on
    /// x86-64 the `x86_64` hwcap bit (`ld.so --help` on glibc 2.36 lists it "supported, searched").
    var legacyHWCapNames: [String] {
        machine == .x86_64 && elfClass == .elf64 ? ["x86_64"] : []
    }
}
