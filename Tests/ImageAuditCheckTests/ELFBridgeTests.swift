import ImageAuditCheck
import ImageAuditELF
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// The production bridge from the ELF reader to the audit, on ELF bytes built by ELFBuilder and
/// parsed by ImageAuditELF.
@Suite struct ELFBridgeTests {
    private func entry(_ path: String, _ bytes: [UInt8]) -> LayerEntry {
        let elf: Result<ELFFile, ELFError>
        do { elf = .success(try ELFFile(parsing: bytes)) } catch { elf = .failure(error) }
        return LayerEntry(
            path, .regular, permissions: 0o755, size: Int64(bytes.count),
            content: FileContent(head: Array(bytes.prefix(FileContent.headLimit)), elf: elf))
    }

    private func builder(machine: UInt16 = 62, interpreter: String? = nil, type: UInt16 = 3) -> [UInt8] {
        var builder = ELFBuilder()
        builder.machine = machine
        builder.type = type
        builder.interpreter = interpreter
        builder.needed = interpreter == nil ? [] : ["libc.so.6"]
        builder.flags1 = 0x0800_0000  // DF_1_PIE
        builder.entryOffset = 0x40  // in the (executable) PT_LOAD over the whole file, past the header
        return builder.build()
    }

    @Test("a dynamic glibc executable in an image without its interpreter: missing-interpreter")
    func realInterpreterMissing() throws {
        let image = Fixture.image(
            Fixture.alpine + [entry("app/server", builder(interpreter: "/lib64/ld-linux-x86-64.so.2"))],
            entrypoint: ["/app/server"])
        let finding = try #require(Auditor().audit(image).findings.first)
        #expect(finding.code == .missingInterpreter)
        #expect(finding.message == "exec /app/server: no such file or directory")
        #expect(
            finding.chain.contains(
                "/app/server: ELF 64-bit LSB x86-64, dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2"))
    }

    @Test("an aarch64 static-pie executable in an amd64 image: wrong-architecture")
    func realWrongMachine() throws {
        let image = Fixture.image([entry("server", builder(machine: 183))], entrypoint: ["/server"])
        let finding = try #require(Auditor().audit(image).findings.first)
        #expect(finding.code == .wrongArchitecture)
        #expect(finding.cause == "/server is built for linux/arm64, but the image's platform is linux/amd64")
    }

    @Test("a static-pie amd64 executable starts; a relocatable object does not")
    func realStaticAndObject() throws {
        #expect(Auditor().audit(Fixture.image([entry("server", builder())], entrypoint: ["/server"])).verdict == .pass)
        let object = Fixture.image([entry("server", builder(type: 1))], entrypoint: ["/server"])
        #expect(Auditor().audit(object).findings.first?.code == .execFormatError)
    }

    @Test("ELF magic with a broken header: exec format error; no ELF data kept: not analysed (warning)")
    func brokenAndUncaptured() {
        let broken: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 9, 1, 1, 0] + [UInt8](repeating: 0, count: 56)
        let result = Auditor().audit(Fixture.image([entry("server", broken)], entrypoint: ["/server"]))
        #expect(result.findings.map(\.code) == [.execFormatError])
        let uncaptured = Auditor().audit(Fixture.image([Fixture.elf("server")], entrypoint: ["/server"]))
        #expect(uncaptured.verdict == .notJudged, "not analysed is not a pass")
        #expect(uncaptured.findings.map(\.code) == [.binaryNotAnalysed])
    }
}
