import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// What a streaming reader keeps (`rangesToCapture`) is enough: parsing the kept ranges gives
/// the same result as parsing the whole file.
@Suite struct CaptureTests {
    /// The parts of a parse that must not depend on how the bytes were kept.
    struct Summary: Equatable {
        let header: ELFHeader
        let interpreter: String?
        let linkage: ELFFile.Linkage
        let dynamic: DynamicInfo?
        let needs: [VersionNeed]
        let definitions: [VersionDefinition]
        let undefined: [UndefinedSymbol]
        let definedCount: Int
        let complete: Bool
        let go: GoBuildInfo?
        let issues: [ELFIssue]

        init(_ file: ELFFile) {
            header = file.header
            interpreter = file.interpreter
            linkage = file.linkage
            dynamic = file.dynamic
            needs = file.versionNeeds
            definitions = file.versionDefinitions
            undefined = file.symbols.undefined
            definedCount = file.symbols.definedCount
            complete = file.symbols.isComplete
            go = file.goBuildInfo
            issues = file.issues
        }
    }

    @Test("every fixture parses the same from its captured ranges", arguments: Fixtures.allELFNames())
    func fixture(name: String) throws {
        let bytes = try Fixtures.elf(name)
        let full = try ELFFile(parsing: bytes)
        let (captured, sparse) = try parseCaptured(bytes)
        #expect(Summary(captured) == Summary(full))
        #expect(full.issues.isEmpty)
        #expect(sparse.keptByteCount <= bytes.count)
    }

    @Test("Go binaries keep far less than the whole file")
    func goKeepsLess() throws {
        let bytes = try Fixtures.elf("go/cgo")
        let (file, sparse) = try parseCaptured(bytes)
        #expect(file.goBuildInfo?.cgoEnabled == true)
        #expect(sparse.keptByteCount < bytes.count * 3 / 4)
    }

    @Test("this machine's libc.so.6 parses fully from its captured ranges, compactly")
    func hostLibc() throws {
        let path = "/usr/lib/x86_64-linux-gnu/libc.so.6"
        guard let capture = HostELF.read(path) else { return }  // not a Debian amd64 host
        let file = try capture.file.get()
        #expect(file.issues.isEmpty)
        #expect(file.symbols.isComplete)
        #expect(file.highestDefinedVersion(prefix: "GLIBC_2.") != nil)
        #expect(Summary(file) == Summary(try ELFFile(parsing: Fixtures.readFile(path))))
        #expect(file.estimatedRetainedBytes < 128 * 1024)
    }

    @Test("a table outside the kept ranges is reported, not a crash")
    func missingTables() throws {
        let bytes = try Fixtures.elf("glibc/usever")
        // Keep only the ELF and program headers.
        let file = try ELFFile(parsing: SparseBytes(keeping: [0..<(64 + 13 * 56)], of: bytes))
        #expect(file.interpreter == nil)
        #expect(file.dynamic == nil)
        #expect(file.issues.contains { $0.problem == .notCaptured })
    }
}
