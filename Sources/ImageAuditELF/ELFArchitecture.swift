/// One architecture a container image can be for: the OCI / Go name (`GOARCH`) and the ELF
/// files that are native to it (machine, class, byte order). The one table of these facts:
/// the image platform check, the loader model and the audit's wording all read it.
public struct ELFArchitecture: Sendable, Hashable {
    /// The OCI `architecture` (Go's `GOARCH`): `amd64`, `arm64`, `ppc64le` …
    public let ociName: String
    public let machine: ELFMachine
    public let elfClass: ELFClass
    public let dataEncoding: ELFDataEncoding

    /// Every architecture Go and the OCI image spec name for Linux, with its ELF identity
    /// (Go's `cmd/internal/sys` and `debug/elf`; `file` on Debian's busybox-static of each port).
    public static let all: [ELFArchitecture] = [
        .init("amd64", .x86_64, .elf64, .littleEndian), .init("386", .i386, .elf32, .littleEndian),
        .init("arm64", .aarch64, .elf64, .littleEndian), .init("arm", .arm, .elf32, .littleEndian),
        .init("ppc64le", .ppc64, .elf64, .littleEndian), .init("ppc64", .ppc64, .elf64, .bigEndian),
        .init("s390x", .s390, .elf64, .bigEndian), .init("riscv64", .riscv, .elf64, .littleEndian),
        .init("loong64", .loongarch, .elf64, .littleEndian), .init("mips64le", .mips, .elf64, .littleEndian),
        .init("mips64", .mips, .elf64, .bigEndian), .init("mipsle", .mips, .elf32, .littleEndian),
        .init("mips", .mips, .elf32, .bigEndian),
    ]

    private init(_ ociName: String, _ machine: ELFMachine, _ elfClass: ELFClass, _ dataEncoding: ELFDataEncoding) {
        self.ociName = ociName
        self.machine = machine
        self.elfClass = elfClass
        self.dataEncoding = dataEncoding
    }

    /// The architecture of an OCI `architecture` name, or nil when Go does not know it.
    public init?(ociName: String) {
        guard let found = Self.all.first(where: { $0.ociName == ociName }) else { return nil }
        self = found
    }

    /// The architecture whose native files have this identity, or nil (x32, big-endian arm …).
    public init?(machine: ELFMachine, elfClass: ELFClass, dataEncoding: ELFDataEncoding) {
        let found = Self.all.first {
            $0.machine == machine && $0.elfClass == elfClass && $0.dataEncoding == dataEncoding
        }
        guard let found else { return nil }
        self = found
    }

    /// The 32-bit architecture whose programs this one's distribution kernels also run:
    /// i386 on amd64 (`CONFIG_IA32_EMULATION`) and arm on arm64 (`CONFIG_COMPAT`). x32 is not
    /// one (`CONFIG_X86_X32` is off in them).
    public var compatibility: ELFArchitecture? {
        switch ociName {
        case "amd64": Self(ociName: "386")
        case "arm64": Self(ociName: "arm")
        default: nil
        }
    }

    /// Whether a Linux kernel for this architecture executes a file of this identity, natively
    /// or in its compatibility mode.
    public func kernelRuns(machine: ELFMachine, elfClass: ELFClass, dataEncoding: ELFDataEncoding) -> Bool {
        [self, compatibility].contains { architecture in
            guard let architecture else { return false }
            return architecture.machine == machine && architecture.elfClass == elfClass
                && architecture.dataEncoding == dataEncoding
        }
    }

    /// How `file(1)` begins its description of such a file: `ELF 64-bit LSB x86-64` (without
    /// the file type, which sits between the byte order and the machine in `file`'s output).
    public static func fileDescription(
        machine: ELFMachine, elfClass: ELFClass, dataEncoding: ELFDataEncoding
    ) -> String {
        "ELF \(elfClass == .elf64 ? 64 : 32)-bit \(dataEncoding == .littleEndian ? "LSB" : "MSB") \(machine.fileName)"
    }
}
