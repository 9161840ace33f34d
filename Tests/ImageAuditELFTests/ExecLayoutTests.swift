import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// The facts the kernel's ELF loader reads (`ExecLayout`), on the committed fixtures, cut and
/// patched: the same whether the whole file or only the captured ranges are at hand, and kept
/// even when no other table can be read. Expected values from `readelf -h -l FILE`.
@Suite struct ExecLayoutTests {
    /// Both readings of `bytes`: whole, and what a streaming reader keeps.
    private func layouts(_ bytes: [UInt8]) throws -> [ExecLayout] {
        [try ELFFile(parsing: bytes).execLayout, try parseCaptured(bytes).0.execLayout]
    }

    private func set(_ bytes: [UInt8], at offset: Int, _ value: UInt64, width: Int = 8) -> [UInt8] {
        var bytes = bytes
        for k in 0..<width { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        return bytes
    }

    @Test("programs: entry in code, PT_INTERP whole and terminated, nothing cut")
    func programs() throws {
        // readelf -l glibc/hello: INTERP 0x318 size 0x1c; entry 0x1070 in the R E load at 0x1000.
        for layout in try layouts(try Fixtures.elf("glibc/hello")) {
            #expect(layout.entry == .code)
            #expect(layout.interpreter?.length == 0x1c)
            #expect(layout.interpreter?.pastEnd == false)
            #expect(layout.interpreter?.terminated == true)
            #expect(layout.cutSegment == nil)
            #expect(!layout.codeHasNoFileBytes)
            #expect(layout.programHeaderCount == 13)
            #expect(!layout.programHeaderCountRefused)
        }
        for name in ["musl/hello-static", "musl/hello-static-pie", "glibc/nostdlib-static"] {
            for layout in try layouts(try Fixtures.elf(name)) {
                #expect(layout.entry == .code, "\(name)")
                #expect(layout.interpreter == nil)
            }
        }
    }

    @Test("a shared library: e_entry 0")
    func library() throws {
        // readelf -h glibc/libleaf.so: DYN, Entry point address 0x0.
        for layout in try layouts(try Fixtures.elf("glibc/libleaf.so")) {
            #expect(layout.entry == .zero)
            #expect(layout.interpreter == nil)
        }
    }

    @Test("PT_INTERP past the end, of length 0, without its NUL")
    func interpreter() throws {
        let hello = try Fixtures.elf("glibc/hello")
        let interp = 64 + 56  // the second program header (readelf: PHDR, then INTERP)
        for layout in try layouts(set(hello, at: interp + 8, UInt64(hello.count - 10))) {
            #expect(layout.interpreter?.pastEnd == true)
            #expect(layout.interpreter?.terminated == nil)
        }
        for layout in try layouts(set(hello, at: interp + 32, 0)) {
            #expect(layout.interpreter?.length == 0)
        }
        var unterminated = hello
        unterminated[0x318 + 0x1c - 1] = UInt8(ascii: "x")
        for layout in try layouts(unterminated) {
            #expect(layout.interpreter?.terminated == false)
        }
    }

    @Test("a cut file: which segments lose whole pages, and whether the kernel clears one")
    func cut() throws {
        // readelf -l musl/hello-static: LOADs at 0x0 (0x1ec), 0x1000 (R E, 0x1281), 0x3000
        // (0x14), 0x3fc0 (RW, 0x150 file, 0x7f8 memory); the file is 0x45e0 bytes.
        let bytes = try Fixtures.elf("musl/hello-static")
        for layout in try layouts(Array(bytes.prefix(0x4000))) {
            let cut = try #require(layout.cutSegment)
            #expect(cut.offset == 0x3fc0 && cut.missingBytes == 0x110)  // 0x3fc0 + 0x150 - 0x4000
            #expect(cut.missesPages && cut.clearedByKernel)
        }
        for layout in try layouts(Array(bytes.prefix(0x2000))) {
            #expect(layout.cutSegment?.offset == 0x1000)
            #expect(layout.cutSegment?.missingBytes == 0x2110)
            #expect(layout.cutSegment?.clearedByKernel == true)
        }
        for layout in try layouts(Array(bytes.prefix(0x410f))) {
            #expect(layout.cutSegment?.missesPages == false)
            #expect(layout.cutSegment?.clearedByKernel == false)
        }
        #expect(try layouts(Array(bytes.prefix(0x4110))).allSatisfy { $0.cutSegment == nil })
    }

    @Test("e_phnum: 0 and PN_XNUM are kept for the kernel's check; a table past the end or over 64 KiB is refused")
    func programHeaderTable() throws {
        let bytes = try Fixtures.elf("musl/hello-static")
        for layout in try layouts(set(bytes, at: 56, 0, width: 2)) {
            #expect(layout.programHeaderCountRefused)
        }
        #expect(throws: ELFError.malformed(field: "e_phnum", offset: 56)) {
            try ELFFile(parsing: set(bytes, at: 56, 1171, width: 2))
        }
        #expect(throws: ELFError.malformed(field: "e_phoff", offset: 32)) {
            try ELFFile(parsing: set(bytes, at: 32, UInt64(bytes.count - 20)))
        }
        // Inside the file but not kept: "not read", never a refusal.
        let unkept = SparseBytes(keeping: [0..<64], of: bytes)
        #expect(throws: ELFError.truncated(offset: 64, length: 7 * 56)) { try ELFFile(parsing: unkept) }
    }
}
