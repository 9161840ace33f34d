import Foundation
import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// Files the host toolchain cannot make (big-endian, other machines, 32-bit with versions), built
/// byte by byte with `ELFBuilder`, without section headers. Checked against `readelf -hld`, which
/// reads big-endian files of any machine from `PT_DYNAMIC` too.
@Suite struct HandBuiltTests {
    static func sample(is64: Bool, bigEndian: Bool, machine: UInt16) -> ELFBuilder {
        var builder = ELFBuilder()
        builder.is64 = is64
        builder.bigEndian = bigEndian
        builder.machine = machine
        builder.interpreter = "/lib/ld-test.so.1"
        builder.needed = ["libc.so.6", "libm.so.6"]
        builder.soname = "libsample.so.1"
        builder.runpath = "$ORIGIN/../lib"
        builder.flags1 = 0x0800_0001  // DF_1_PIE | DF_1_NOW
        builder.versionDefinitions = ["SAMPLE_1.0", "SAMPLE_2.0"]
        builder.versionNeeds = [("libc.so.6", ["GLIBC_2.17", "GLIBC_2.34"])]
        builder.symbols = [
            .init("printf", defined: false, version: "GLIBC_2.17"),
            .init("pthread_create", defined: false, version: "GLIBC_2.34"),
            .init("__gmon_start__", defined: false, weak: true, type: 0),
            .init("sample_old", defined: true, version: "SAMPLE_1.0", hidden: true),
            .init("sample_new", defined: true, version: "SAMPLE_2.0"),
            .init("sample_data", defined: true, type: 1, version: "SAMPLE_2.0"),
        ]
        return builder
    }

    static let variants: [(String, Bool, Bool, UInt16)] = [
        ("s390x (64-bit big-endian)", true, true, 22),
        ("powerpc (32-bit big-endian)", false, true, 20),
        ("arm (32-bit little-endian)", false, false, 40),
        ("aarch64 (64-bit little-endian)", true, false, 183),
    ]

    @Test("hand-built files parse in every class and byte order", arguments: variants)
    func parse(variant: (String, Bool, Bool, UInt16)) throws {
        let (_, is64, bigEndian, machine) = variant
        let bytes = Self.sample(is64: is64, bigEndian: bigEndian, machine: machine).build()
        let file = try ELFFile(parsing: bytes)
        #expect(file.header.elfClass == (is64 ? .elf64 : .elf32))
        #expect(file.header.dataEncoding == (bigEndian ? .bigEndian : .littleEndian))
        #expect(file.header.machine == ELFMachine(rawValue: machine))
        #expect(file.interpreter == "/lib/ld-test.so.1")
        #expect(file.needed == ["libc.so.6", "libm.so.6"])
        #expect(file.soname == "libsample.so.1")
        #expect(file.dynamic?.runpath == "$ORIGIN/../lib")
        #expect(file.dynamic?.bindNow == true)
        #expect(file.dynamic?.isPIE == true)
        #expect(file.versionDefinitions.map(\.name) == ["libsample.so.1", "SAMPLE_1.0", "SAMPLE_2.0"])
        #expect(file.versionNeeds.map(\.file) == ["libc.so.6"])
        #expect(file.versionNeeds.first?.versions.map(\.name) == ["GLIBC_2.17", "GLIBC_2.34"])
        let undefined = undefinedByName(file)
        #expect(undefined["pthread_create"]?.version == "GLIBC_2.34")
        #expect(undefined["__gmon_start__"]?.isWeak == true)
        #expect(file.symbols.definedCount == 3)
        // The hidden (non-default) definition binds only a reference naming its version.
        let old = UndefinedSymbol(
            name: "sample_old", version: nil, versionFile: nil, isWeak: false, type: .function, reference: .eager)
        let oldVersioned = UndefinedSymbol(
            name: "sample_old", version: "SAMPLE_1.0", versionFile: "libsample.so.1", isWeak: false, type: .function,
            reference: .eager)
        #expect(!file.symbols.defines(old, checkingVersions: true))
        #expect(file.symbols.defines(oldVersioned, checkingVersions: true))
        #expect(file.issues.isEmpty)
        // Captured ranges are enough here too.
        #expect(try parseCaptured(bytes).0.needed == file.needed)
    }

    @Test("readelf reads the same headers and dynamic section", arguments: variants)
    func readelf(variant: (String, Bool, Bool, UInt16)) throws {
        let (_, is64, bigEndian, machine) = variant
        let bytes = Self.sample(is64: is64, bigEndian: bigEndian, machine: machine).build()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-handbuilt-\(UUID().uuidString)"
        ).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let report = ReadelfReport(path: path) else { return }  // binutils not installed
        let file = try ELFFile(parsing: bytes)
        #expect(report.elfClass == (is64 ? "ELF64" : "ELF32"))
        #expect(report.machine == file.header.machine.readelfName)
        #expect(report.interpreter == file.interpreter)
        #expect(report.needed == file.needed)
        #expect(report.soname == file.soname)
        #expect(report.runpath == file.dynamic?.runpath)
    }

    @Test("a 32-bit file with PN_XNUM program headers reads the count from section 0")
    func extendedNumbering() throws {
        var bytes = Self.sample(is64: false, bigEndian: false, machine: 3).build()
        // Put a section header 0 at the end with sh_info = 3 and set e_phnum = 0xffff, e_shoff.
        let shoff = bytes.count
        bytes += [UInt8](repeating: 0, count: 40)
        bytes[shoff + 28] = 3
        bytes[32] = UInt8(shoff & 0xff)
        bytes[33] = UInt8((shoff >> 8) & 0xff)
        bytes[44] = 0xff
        bytes[45] = 0xff
        let file = try ELFFile(parsing: bytes)
        #expect(file.needed == ["libc.so.6", "libm.so.6"])
        #expect(try parseCaptured(bytes).0.needed == file.needed)
    }
}
