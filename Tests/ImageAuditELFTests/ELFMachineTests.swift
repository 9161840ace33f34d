import Foundation
import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// Machine names as `file(1)` prints them, and the architecture table (ELF ↔ OCI).
@Suite struct ELFMachineTests {
    /// The first 20 bytes (e_ident, e_type, e_machine) of Debian bookworm's busybox-static
    /// 1.35.0-4+deb12u1+b1 for each port (riscv64: trixie's 1.37.0-6+b9), and what `file -b`
    /// 5.44 printed for the whole binary, up to the second comma.
    static let realBinaries: [(arch: String, header: String, file: String)] = [
        ("amd64", "7f454c4602010103000000000000000002003e00", "ELF 64-bit LSB executable, x86-64"),
        ("arm64", "7f454c460201010300000000000000000200b700", "ELF 64-bit LSB executable, ARM aarch64"),
        ("arm", "7f454c4601010103000000000000000002002800", "ELF 32-bit LSB executable, ARM"),
        ("386", "7f454c4601010103000000000000000002000300", "ELF 32-bit LSB executable, Intel 80386"),
        ("mips64le", "7f454c4602010100000000000000000002000800", "ELF 64-bit LSB executable, MIPS"),
        (
            "ppc64le", "7f454c4602010103000000000000000002001500",
            "ELF 64-bit LSB executable, 64-bit PowerPC or cisco 7500"
        ),
        ("s390x", "7f454c4602020103000000000000000000020016", "ELF 64-bit MSB executable, IBM S/390"),
        ("riscv64", "7f454c460201010300000000000000000200f300", "ELF 64-bit LSB executable, UCB RISC-V"),
    ]

    @Test("real binaries: file(1)'s words, and the OCI architecture of each", arguments: realBinaries)
    func realBinary(arch: String, header: String, file: String) throws {
        var bytes = Self.bytes(hex: header)
        bytes += [UInt8](repeating: 0, count: 64 - bytes.count)
        let elf = try ELFFile(parsing: bytes)
        let h = elf.header
        #expect(
            ELFArchitecture.fileDescription(machine: h.machine, elfClass: h.elfClass, dataEncoding: h.dataEncoding)
                == file.replacing("executable, ", with: ""))
        let found = ELFArchitecture(machine: h.machine, elfClass: h.elfClass, dataEncoding: h.dataEncoding)
        #expect(found?.ociName == arch)
        #expect(ELFArchitecture(ociName: arch)?.machine == h.machine)
    }

    @Test(
        "every e_machine value: the name file(1) prints for a header with it",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/file"), "needs file(1) at /usr/bin/file"))
    func everyMachineAgainstFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("elfmachine-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // 0…300 and the unofficial values file knows above them (a scan of 0…0xffff found these).
        let unofficial: [UInt16] = [
            4183, 4185, 4643, 9520, 13104, 13350, 18056, 21569, 23205, 30288, 30326, 33303, 33906, 36901, 36902,
            36929, 36992, 41872, 43975, 44357, 47787, 48879, 57005, 61453, 65200, 65210, 65211, 65261,
        ]
        let values = Array(UInt16(0)...300) + unofficial
        var paths: [String] = []
        for value in values {
            var header = [UInt8](repeating: 0, count: 64)
            header[0..<7] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]
            header[16] = 2
            header[18] = UInt8(value & 0xff)
            header[19] = UInt8(value >> 8)
            header[20] = 1
            let path = directory.appendingPathComponent("m\(value)").path
            try Data(header).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let result = try ExternalTools.run("/usr/bin/file", ["-b"] + paths)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        try #require(lines.count == values.count)
        var known = 0
        for (value, line) in zip(values, lines) {
            let prefix = "ELF 64-bit LSB executable, "
            try #require(line.hasPrefix(prefix), "\(line)")
            let rest = line.dropFirst(prefix.count)
            // The machine name ends at the first ", " or " version" (MIPS: "MIPS, MIPS-I version 1").
            let end = [rest.range(of: ", "), rest.range(of: " version")].compactMap { $0?.lowerBound }.min()
            let name = String(rest[..<(end ?? rest.endIndex)])
            let machine = ELFMachine(rawValue: value)
            if name.hasPrefix("*unknown arch") {
                // Not known to file: either not in elf.h (file's own words) or named from elf.h.
                #expect(machine.fileName == name || !machine.fileName.hasPrefix("*unknown"), "\(value)")
            } else {
                known += 1
                #expect(machine.fileName == name, "e_machine \(value)")
            }
        }
        #expect(known >= 210)
    }

    @Test("elf.h values file(1) does not know still have a name")
    func elfHeaderOnlyNames() {
        #expect(ELFMachine(rawValue: 220).fileName == "Zilog Z80")
        #expect(ELFMachine(rawValue: 220).description == "Zilog Z80")  // never "machine-220"
        #expect(ELFMachine(rawValue: 224).fileName == "AMD GPU")
        #expect(ELFMachine(rawValue: 43).fileName == "SPARC V9")
        #expect(ELFMachine(rawValue: 0x1234).fileName == "*unknown arch 0x1234*")
    }

    @Test("kernel compatibility: i386 on amd64, arm on arm64, not x32 or the other way round")
    func compatibility() throws {
        let amd64 = try #require(ELFArchitecture(ociName: "amd64"))
        let arm64 = try #require(ELFArchitecture(ociName: "arm64"))
        #expect(amd64.kernelRuns(machine: .x86_64, elfClass: .elf64, dataEncoding: .littleEndian))
        #expect(amd64.kernelRuns(machine: .i386, elfClass: .elf32, dataEncoding: .littleEndian))
        #expect(!amd64.kernelRuns(machine: .x86_64, elfClass: .elf32, dataEncoding: .littleEndian))
        #expect(!amd64.kernelRuns(machine: .aarch64, elfClass: .elf64, dataEncoding: .littleEndian))
        #expect(arm64.kernelRuns(machine: .arm, elfClass: .elf32, dataEncoding: .littleEndian))
        let i386 = try #require(ELFArchitecture(ociName: "386"))
        #expect(!i386.kernelRuns(machine: .x86_64, elfClass: .elf64, dataEncoding: .littleEndian))
        #expect(ELFArchitecture(ociName: "ppc64")?.dataEncoding == .bigEndian)
        #expect(ELFArchitecture(ociName: "sparc64") == nil)
        #expect(Set(ELFArchitecture.all.map(\.ociName)).count == ELFArchitecture.all.count)
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }
}
