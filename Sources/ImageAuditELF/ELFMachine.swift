/// The `e_machine` field: the instruction set a file is for. Unknown values are kept as they are.
public struct ELFMachine: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let none = ELFMachine(rawValue: 0)
    public static let sparc = ELFMachine(rawValue: 2)
    public static let i386 = ELFMachine(rawValue: 3)
    public static let m68k = ELFMachine(rawValue: 4)
    public static let mips = ELFMachine(rawValue: 8)
    public static let parisc = ELFMachine(rawValue: 15)
    public static let ppc = ELFMachine(rawValue: 20)
    public static let ppc64 = ELFMachine(rawValue: 21)
    public static let s390 = ELFMachine(rawValue: 22)
    public static let arm = ELFMachine(rawValue: 40)
    public static let sh = ELFMachine(rawValue: 42)
    public static let sparcv9 = ELFMachine(rawValue: 43)
    public static let ia64 = ELFMachine(rawValue: 50)
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let x86_64 = ELFMachine(rawValue: 62)
    public static let aarch64 = ELFMachine(rawValue: 183)
    public static let riscv = ELFMachine(rawValue: 243)
    public static let loongarch = ELFMachine(rawValue: 258)
    public static let alpha = ELFMachine(rawValue: 0x9026)

    private static let names: [UInt16: (readelf: String, short: String)] = [
        0: ("None", "none"), 2: ("Sparc", "sparc"), 3: ("Intel 80386", "i386"), 4: ("MC68000", "m68k"),
        8: ("MIPS R3000", "mips"), 15: ("HPPA", "parisc"), 20: ("PowerPC", "ppc"), 21: ("PowerPC64", "ppc64"),
        22: ("IBM S/390", "s390"), 40: ("ARM", "arm"), 42: ("Renesas / SuperH SH", "sh"),
        43: ("Sparc v9", "sparcv9"), 50: ("Intel IA-64", "ia64"), 62: ("Advanced Micro Devices X86-64", "x86_64"),
        183: ("AArch64", "aarch64"), 243: ("RISC-V", "riscv"), 258: ("LoongArch", "loongarch"),
    ]

    /// The name `readelf -h` prints on the `Machine:` line, or `<unknown>: 0x…` like readelf.
    public var readelfName: String {
        Self.names[rawValue]?.readelf ?? "<unknown>: 0x\(String(rawValue, radix: 16))"
    }

    /// The name `file(1)` prints (`x86-64`, `ARM aarch64`, `64-bit PowerPC or cisco 7500`,
    /// `UCB RISC-V` …); for the few `elf.h` values `file` does not know, the `elf.h` comment;
    /// for values outside `elf.h`, `file`'s own `*unknown arch 0x…*`.
    public var fileName: String {
        Self.fileNames[rawValue] ?? Self.elfHeaderNames[rawValue] ?? "*unknown arch 0x\(String(rawValue, radix: 16))*"
    }

    /// A short lowercase name (`x86_64`, `aarch64`, `i386` …); for the other machines the name
    /// `file(1)` gives them (``fileName``).
    public var description: String { Self.names[rawValue]?.short ?? fileName }
}
