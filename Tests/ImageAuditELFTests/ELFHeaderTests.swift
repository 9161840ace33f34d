import ImageAuditELF
import Testing

/// Header fields and the static / static-pie / dynamic distinction, on compiled fixtures.
/// Expected values from `readelf -h -l FILE` (run in Tests/Fixtures/elf).
@Suite struct ELFHeaderTests {
    @Test("64-bit PIE: class, data, type, machine, interpreter")
    func glibcPIE() throws {
        let file = try parseFixture("glibc/hello")
        // readelf -h glibc/hello: ELF64, little endian, UNIX - System V, DYN, Advanced Micro Devices X86-64
        #expect(file.header.elfClass == .elf64)
        #expect(file.header.dataEncoding == .littleEndian)
        #expect(file.header.osABI == 0)
        #expect(file.header.type == .sharedObject)
        #expect(file.header.machine == .x86_64)
        #expect(file.header.machine.readelfName == "Advanced Micro Devices X86-64")
        // readelf -l glibc/hello: [Requesting program interpreter: /lib64/ld-linux-x86-64.so.2]
        #expect(file.interpreter == "/lib64/ld-linux-x86-64.so.2")
        #expect(file.linkage == .dynamic)
        #expect(file.dynamic?.isPIE == true)
        #expect(file.issues.isEmpty)
    }

    @Test("32-bit i386 executable names /lib/ld-linux.so.2")
    func glibc32() throws {
        let file = try parseFixture("glibc/hello-m32")
        // readelf -h glibc/hello-m32: ELF32, Intel 80386, DYN
        #expect(file.header.elfClass == .elf32)
        #expect(file.header.machine == .i386)
        #expect(file.header.machine.readelfName == "Intel 80386")
        // readelf -l glibc/hello-m32: [Requesting program interpreter: /lib/ld-linux.so.2]
        #expect(file.interpreter == "/lib/ld-linux.so.2")
        #expect(file.needed == ["libc.so.6"])
        #expect(file.issues.isEmpty)
    }

    @Test("non-PIE dynamic executable is ET_EXEC with an interpreter")
    func nonPIE() throws {
        let file = try parseFixture("glibc/hello-nopie")
        // readelf -h glibc/hello-nopie: Type: EXEC
        #expect(file.header.type == .executable)
        #expect(file.linkage == .dynamic)
        #expect(file.dynamic?.isPIE == false)
    }

    @Test(
        "static, static-pie and dynamic are told apart",
        arguments: [
            // readelf -h -l -d: Type, INTERP present?, FLAGS_1 PIE?
            ("glibc/nostdlib-static", ELFFile.Linkage.staticExecutable),  // EXEC, no INTERP, no dynamic section
            ("glibc/nostdlib-static-pie", .staticPIE),  // DYN, no INTERP, Flags: PIE
            ("glibc/nostdlib-m32-static", .staticExecutable),  // ELF32 EXEC
            ("musl/hello-static", .staticExecutable),  // EXEC, no INTERP
            ("musl/hello-static-pie", .staticPIE),  // DYN, no INTERP, Flags: PIE
            ("musl/hello", .dynamic),  // [Requesting program interpreter: /lib/ld-musl-x86_64.so.1]
            ("glibc/libleaf.so", .sharedObject),  // DYN, no INTERP, no FLAGS_1
            ("go/static", .staticExecutable),  // EXEC, no INTERP
            ("go/cgo", .dynamic),  // [Requesting program interpreter: /lib64/ld-linux-x86-64.so.2]
        ])
    func linkage(name: String, expected: ELFFile.Linkage) throws {
        #expect(try parseFixture(name).linkage == expected)
    }

    @Test("musl programs name the musl loader and need libc.so")
    func muslInterpreter() throws {
        let file = try parseFixture("musl/hello")
        // readelf -l musl/hello: [Requesting program interpreter: /lib/ld-musl-x86_64.so.1]
        #expect(file.interpreter == "/lib/ld-musl-x86_64.so.1")
        // readelf -d musl/hello: NEEDED Shared library: [libc.so]
        #expect(file.needed == ["libc.so"])
    }

    @Test("unknown machines are kept with their number")
    func unknownMachine() {
        let machine = ELFMachine(rawValue: 0x1234)
        #expect(machine.readelfName == "<unknown>: 0x1234")
        #expect(machine.description == "*unknown arch 0x1234*")  // file(1)'s words
    }
}
