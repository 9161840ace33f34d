import Foundation
import ImageAuditCheck
import ImageAuditELF
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// ELF files the kernel accepts by header and machine but cannot run, from the committed
/// fixtures (real gcc and musl-gcc output) truncated or patched. Each case says what a real
/// `execve` of those bytes did on Linux 6.18 x86-64, and `agreesWithKernel` checks it again on
/// the machine running the tests.
@Suite struct KernelRefusalTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var fixture: String
        var patch: @Sendable ([UInt8]) -> [UInt8]
        /// What the kernel did: nil (the program ran), an errno (ENOEXEC 8, EIO 5) or a signal.
        var kernel: Kernel
        var code: FindingCode?
        var message: String = ""
        var description: String { name }
    }

    enum Kernel: Sendable, Equatable {
        case runs
        case errno(Int32)
        case signal(Int32)
    }

    static let cases: [Case] = [
        Case(
            name: "a shared library (e_entry 0, no PT_INTERP, no DF_1_PIE)", fixture: "glibc/libleaf.so",
            patch: { $0 },
            kernel: .signal(SIGSEGV), code: .notAProgram, message: "no output; killed by SIGSEGV (exit status 139)"),
        Case(
            name: "an entry point outside the code (the read-only first segment)", fixture: "musl/hello-static",
            patch: { ELFPatch.header($0, at: 24, UInt64(0x40_0000)) },
            kernel: .signal(SIGSEGV), code: .notAProgram, message: "no output; killed by SIGSEGV (exit status 139)"),
        Case(
            name: "static-pie (DF_1_PIE, an entry point)", fixture: "musl/hello-static-pie", patch: { $0 },
            kernel: .runs),
        Case(name: "static, -nostdlib", fixture: "glibc/nostdlib-static", patch: { $0 }, kernel: .runs),
        Case(
            name: "PT_INTERP of length 0", fixture: "glibc/hello",
            patch: { ELFPatch.set($0, segment: 3, field: .fileSize, 0) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "PT_INTERP of length 4097", fixture: "glibc/hello",
            patch: { ELFPatch.set($0, segment: 3, field: .fileSize, 4097) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "PT_INTERP past the end of the file", fixture: "glibc/hello",
            patch: { ELFPatch.set($0, segment: 3, field: .offset, UInt64($0.count + 100)) },
            kernel: .errno(EIO), code: .truncatedBinary, message: "exec /app: input/output error"),
        Case(
            name: "PT_INTERP without its NUL", fixture: "glibc/hello",
            patch: { ELFPatch.unterminateInterpreter($0) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "e_phnum 0", fixture: "musl/hello-static", patch: { ELFPatch.header($0, at: 56, UInt16(0)) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "e_phnum 1171 (over 64 KiB of headers)", fixture: "musl/hello-static",
            patch: { ELFPatch.header($0, at: 56, UInt16(1171)) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "e_phentsize 32 in a 64-bit file", fixture: "musl/hello-static",
            patch: { ELFPatch.header($0, at: 54, UInt16(32)) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "e_phoff past the end of the file", fixture: "musl/hello-static",
            patch: { ELFPatch.header($0, at: 32, UInt64($0.count + 4096)) },
            kernel: .errno(ENOEXEC), code: .execFormatError, message: "exec /app: exec format error"),
        Case(
            name: "cut at 0x4000: the writable segment's last page is gone", fixture: "musl/hello-static",
            patch: { Array($0.prefix(0x4000)) },
            kernel: .signal(SIGSEGV), code: .truncatedBinary,
            message: "no output; killed by SIGSEGV (exit status 139)"),
        Case(
            name: "cut at 0x2000: code and data pages gone", fixture: "musl/hello-static",
            patch: { Array($0.prefix(0x2000)) },
            kernel: .signal(SIGSEGV), code: .truncatedBinary,
            message: "no output; killed by SIGSEGV (exit status 139)"),
        Case(
            name: "the code segment moved past the end (no bss to clear)", fixture: "musl/hello-static",
            patch: { ELFPatch.set($0, segment: 1, field: .offset, 0x40_1000, executable: true) },
            kernel: .signal(SIGBUS), code: .truncatedBinary, message: "no output; killed by SIGBUS (exit status 135)"),
    ]

    @Test("the audit's verdict", arguments: cases)
    func verdict(_ test: Case) throws {
        let bytes = test.patch(try Fixtures.elf(test.fixture))
        let result = Auditor().audit(Fixture.image([Self.entry("app", bytes)], entrypoint: ["/app"]))
        let errors = result.findings.filter { $0.severity == .error }
        guard let code = test.code else {
            // Runs: no error (a glibc program without its loader here is not one of these cases).
            #expect(errors.isEmpty, "\(result.findings.map(\.code))")
            return
        }
        let finding = try #require(errors.first, "\(result.findings.map(\.code))")
        #expect(finding.code == code)
        #expect(finding.message == test.message)
        #expect(!result.findings.contains { $0.code == .binaryNotAnalysed })
    }

    @Test(
        "the kernel of this machine does what each case says",
        .enabled(if: Self.isLinuxAMD64, "needs Linux on x86-64 to execve the fixtures"), .serialized, arguments: cases)
    func agreesWithKernel(_ test: Case) throws {
        let bytes = test.patch(try Fixtures.elf(test.fixture))
        let name = "kernel-\(getpid())-\(abs(test.name.hashValue))"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        chmod(path.path, 0o755)
        #expect(Self.execute(path.path) == test.kernel)
    }

    @Test("only the last bytes of the last page missing: a warning, not a verdict")
    func partPageMissing() throws {
        // execve of this ran (the missing byte reads as zero); cut at 0x4001 it died of SIGSEGV.
        let bytes = try Fixtures.elf("musl/hello-static")
        let cut = Array(bytes.prefix(0x4110 - 1))
        let result = Auditor().audit(Fixture.image([Self.entry("app", cut)], entrypoint: ["/app"]))
        #expect(result.verdict == .pass)
        #expect(result.findings.map(\.code) == [.truncatedBinary])
        #expect(result.findings.first?.severity == .warning)
    }

    @Test(
        "debug-info files from objcopy --only-keep-debug: not a program",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/objcopy"), "needs objcopy (binutils)"))
    func debugFiles() throws {
        // execve of these: the static one died of SIGSEGV, the dynamic one (PT_INTERP with no
        // bytes) failed with ENOEXEC.
        for (fixture, message) in [
            ("musl/hello-static", "no output; killed by SIGSEGV (exit status 139)"),
            ("glibc/hello", "exec /app: exec format error"),
        ] {
            let directory = FileManager.default.temporaryDirectory
            let debug = directory.appendingPathComponent("debug-\(getpid())-\(fixture.replacing("/", with: "-"))").path
            let run = try ExternalTools.run(
                "/usr/bin/objcopy", ["--only-keep-debug", Fixtures.elfPath(fixture), debug])
            try #require(run.status == 0, "\(run.stderrText)")
            defer { try? FileManager.default.removeItem(atPath: debug) }
            let bytes = try Fixtures.readFile(debug)
            let result = Auditor().audit(Fixture.image([Self.entry("app", bytes)], entrypoint: ["/app"]))
            #expect(result.findings.map(\.code) == [.notAProgram], "\(fixture)")
            #expect(result.findings.first?.message == message)
            #expect(result.findings.first?.cause.contains("debug-info") == true)
        }
    }

    @Test(
        "this machine's ld.so and libc.so.6 are programs; its libz.so.1 is not",
        .enabled(
            if: FileManager.default.fileExists(atPath: "/lib/x86_64-linux-gnu/libz.so.1"), "needs Debian's amd64 libs"))
    func hostLibraries() throws {
        // execve of each: ld.so ran ("missing program name", exit 1), libc.so.6 printed its
        // banner (exit 0), libz.so.1 died of SIGSEGV.
        let cases = [
            ("/lib64/ld-linux-x86-64.so.2", false), ("/lib/x86_64-linux-gnu/libc.so.6", false),
            ("/lib/x86_64-linux-gnu/libz.so.1", true),
        ]
        for (path, refused) in cases {
            let bytes = try Fixtures.readFile(path)
            let content = FileContent(
                head: Array(bytes.prefix(FileContent.headLimit)),
                elf: Result { () throws(ELFError) in try ELFFile(parsing: bytes) })
            guard case .facts(let facts) = ImageLoaderModel().inspect(content, at: path) else {
                Issue.record("\(path) not read as ELF")
                continue
            }
            #expect((facts.kernelRefusal?.kind == .notAProgram) == refused, "\(path)")
        }
    }

    @Test(
        "every ELF program in this machine's /usr/bin and /usr/sbin: none refused",
        .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/ls"), "needs a Linux /usr/bin"))
    func hostPrograms() throws {
        // They are installed programs that run; a refusal here is a false error.
        var checked = 0
        for directory in ["/usr/bin", "/usr/sbin"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() {
                let path = directory + "/" + name
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                    attributes[.type] as? FileAttributeType == .typeRegular,
                    (attributes[.size] as? Int ?? 0) < 64 << 20,
                    let bytes = try? Fixtures.readFile(path), bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46])
                else { continue }
                let content = FileContent(
                    head: Array(bytes.prefix(FileContent.headLimit)),
                    elf: Result { () throws(ELFError) in try ELFFile(parsing: bytes) })
                if case .facts(let facts) = ImageLoaderModel().inspect(content, at: path) {
                    #expect(facts.kernelRefusal == nil, "\(path): \(facts.kernelRefusal?.why ?? "")")
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    static let isLinuxAMD64: Bool = {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return machine == "x86_64"
    }()

    /// posix_spawn (as Foundation's Process does), then how the child ended.
    static func execute(_ path: String) -> Kernel {
        var pid: pid_t = 0
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { free(argv[0]) }
        let environment: [UnsafeMutablePointer<CChar>?] = [nil]
        var status = posix_spawn(&pid, path, &actions, nil, argv, environment)
        // ETXTBSY while a child spawned by another test still holds a copy of the writing fd.
        for _ in 0..<50 where status == ETXTBSY {
            usleep(20_000)
            status = posix_spawn(&pid, path, &actions, nil, argv, environment)
        }
        guard status == 0 else { return .errno(status) }
        var wait: Int32 = 0
        waitpid(pid, &wait, 0)
        let signal = wait & 0x7f
        return signal == 0 ? .runs : .signal(signal)
    }

    static func entry(_ path: String, _ bytes: [UInt8]) -> LayerEntry {
        let elf = Result { () throws(ELFError) in try ELFFile(parsing: bytes) }
        return LayerEntry(
            path, .regular, permissions: 0o755, size: Int64(bytes.count),
            content: FileContent(head: Array(bytes.prefix(FileContent.headLimit)), elf: elf))
    }
}
