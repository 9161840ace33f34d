import ImageAuditCheck
import ImageAuditFS
import Testing

/// ELF entrypoints: machine and class against the platform, the program interpreter, and the
/// loader's problems turned into findings (exec-and-loader-rules.md §2–5).
@Suite struct ELFRulesTests {
    private let cgoBinary = ELFFacts(
        machine: 62, is64Bit: true, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libc.so.6"],
        go: GoBuild(goVersion: "go1.22.5", cgoEnabled: true))

    @Test("a static binary starts anywhere")
    func staticBinary() {
        #expect(audit(Fixture.image([Fixture.elf("app/server")], entrypoint: ["/app/server"])).verdict == .pass)
    }

    @Test("an arm64 binary in an amd64 image: exec format error")
    func wrongMachine() throws {
        let loading = FakeLoading(facts: ["/app/server": ELFFacts(machine: 183, is64Bit: true)])
        let finding = try #require(
            audit(Fixture.image([Fixture.elf("app/server")], entrypoint: ["/app/server"]), loading).findings.first)
        #expect(finding.code == .wrongArchitecture)
        #expect(finding.message == "exec /app/server: exec format error")
        #expect(finding.cause == "/app/server is built for linux/arm64, but the image's platform is linux/amd64")
    }

    @Test("32-bit x86 runs on amd64; x86-64 does not run on arm64")
    func compatModes() {
        let i386 = FakeLoading(facts: ["/app/server": ELFFacts(machine: 3, is64Bit: false)])
        #expect(audit(Fixture.image([Fixture.elf("app/server")], entrypoint: ["/app/server"]), i386).verdict == .pass)
        let image = Fixture.image([Fixture.elf("app/server")], entrypoint: ["/app/server"], architecture: "arm64")
        #expect(audit(image).findings.first?.code == .wrongArchitecture)
    }

    @Test("the seed: a cgo Go binary on Alpine — glibc interpreter missing [verified: ENOENT]")
    func cgoOnAlpine() throws {
        let image = Fixture.image(Fixture.alpine + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
        let result = audit(image, FakeLoading(facts: ["/app/server": cgoBinary]))
        let finding = try #require(result.findings.first)
        #expect(result.verdict == .fail)
        #expect(result.identity.libc == .musl)
        #expect(finding.code == .missingInterpreter)
        #expect(finding.message == "exec /app/server: no such file or directory")
        #expect(
            finding.cause
                == "/app/server is linked against glibc (interpreter /lib64/ld-linux-x86-64.so.2), but this image's C library is musl"
        )
        #expect(finding.chain.contains("/lib64/ld-linux-x86-64.so.2: /lib64 does not exist"))
        #expect(finding.fix.first?.hasPrefix("rebuild it with CGO_ENABLED=0") == true)
        #expect(finding.fix.contains { $0.contains("-tags netgo,osusergo") })
        #expect(finding.fix.contains { $0.contains("-ldflags '-linkmode external -extldflags -static'") })
        #expect(finding.fix.contains { $0.contains("apk add gcompat") })
        #expect(finding.fix.contains { $0.contains("debian:bookworm-slim") })
    }

    @Test("a glibc binary in scratch: no C library at all")
    func glibcInScratch() throws {
        let image = Fixture.image([Fixture.elf("server")], entrypoint: ["/server"])
        let finding = try #require(audit(image, FakeLoading(facts: ["/server": .glibcAMD64])).findings.first)
        #expect(finding.code == .missingInterpreter)
        #expect(finding.cause.hasSuffix("but this image has no C library (scratch or a static base)"))
        #expect(
            finding.fix.first == "link it statically: gcc -static (Rust: build for the *-unknown-linux-musl target)")
        #expect(
            finding.fix.contains("or run it on a glibc base: debian:bookworm-slim or gcr.io/distroless/base-debian12"))
        #expect(!finding.fix.contains { $0.contains("apk") })
    }

    @Test("a musl binary on Debian: apt-get install musl")
    func muslOnDebian() throws {
        let image = Fixture.image(Fixture.debian() + [Fixture.elf("app/tool")], entrypoint: ["/app/tool"])
        let finding = try #require(audit(image, FakeLoading(facts: ["/app/tool": .muslAMD64])).findings.first)
        #expect(finding.cause.hasSuffix("but this image's C library is glibc"))
        #expect(finding.fix.first == "install musl's loader: apt-get install -y musl (it provides /lib/ld-musl-*.so.1)")
    }

    @Test("the interpreter is found through the image's /lib64 → usr/lib64 symlink, then the loader runs")
    func interpreterThroughSymlinks() {
        let image = Fixture.image(Fixture.debian() + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
        let result = audit(image, FakeLoading(facts: ["/app/server": .glibcAMD64]))
        #expect(result.verdict == .pass)
        #expect(result.identity.libc == .glibc)
        #expect(result.identity.libcVersion == "2.36")
    }

    @Test("a missing library: the loader's message, the search, and the package to install")
    func missingLibrary() throws {
        let message =
            "/app/server: error while loading shared libraries: libssl.so.3: cannot open shared object file: No such file or directory"
        let loading = FakeLoading(
            facts: ["/app/server": .glibcAMD64],
            problems: [
                "/app/server": [
                    .libraryNotFound(
                        name: "libssl.so.3", neededBy: "/app/server",
                        searched: [
                            "/etc/ld.so.cache", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib",
                            "/usr/lib",
                        ],
                        message: message)
                ]
            ])
        let image = Fixture.image(Fixture.debian() + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
        let finding = try #require(audit(image, loading).findings.first)
        #expect(finding.code == .missingLibrary)
        #expect(finding.message == message)
        #expect(
            finding.chain.suffix(2) == [
                "/app/server needs libssl.so.3",
                "searched: /etc/ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib",
            ])
        #expect(finding.fix.first == "install it: apt-get update && apt-get install -y --no-install-recommends libssl3")
    }

    @Test("a library whose package is installed but whose file is gone")
    func slimmedLibrary() throws {
        let loading = FakeLoading(
            facts: ["/app/server": .glibcAMD64],
            problems: [
                "/app/server": [
                    .libraryNotFound(name: "libc.so.6", neededBy: "/app/server", searched: [], message: "m")
                ]
            ])
        // A slimming step deleted libc.so.6; dpkg still lists libc6.
        let slimmed = Fixture.debian().filter { $0.path != Array("usr/lib/x86_64-linux-gnu/libc.so.6".utf8) }
        let image = Fixture.image(slimmed + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
        let finding = try #require(audit(image, loading).findings.first)
        #expect(
            finding.fix.first?.hasPrefix("package libc6 (2.36-9+deb12u7) is installed but libc.so.6 is gone") == true)
    }

    @Test("GLIBC_2.34 on bullseye: the oldest Debian base that has it, or build on bullseye")
    func glibcTooOld() throws {
        let message =
            "/app/server: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app/server)"
        let loading = FakeLoading(
            facts: ["/app/server": .glibcAMD64],
            problems: [
                "/app/server": [
                    .versionNotFound(
                        version: "GLIBC_2.34", library: "libc.so.6", libraryPath: "/lib/x86_64-linux-gnu/libc.so.6",
                        requiredBy: "/app/server", provided: ["GLIBC_2.2.5", "GLIBC_2.30"], message: message)
                ]
            ])
        let base = Fixture.debian(release: "11", codename: "bullseye", glibc: "2.31-13+deb11u11")
        let finding = try #require(
            audit(Fixture.image(base + [Fixture.elf("app/server")], entrypoint: ["/app/server"]), loading).findings
                .first)
        #expect(finding.code == .missingSymbolVersion)
        #expect(finding.message == message)
        #expect(
            finding.cause
                == "/app/server was built against a newer glibc: it needs GLIBC_2.34, and glibc 2.31 (the newest it defines is GLIBC_2.30) is older"
        )
        #expect(
            finding.fix.first
                == "run it on a base that provides GLIBC_2.34: debian:bookworm-slim or gcr.io/distroless/base-debian12 is the oldest such"
        )
        #expect(finding.fix.contains("or build it on the runtime's release, so it needs at most glibc 2.31"))
    }

    @Test("GLIBC_2.34 and GLIBC_2.38 on bullseye: the base named has both (trixie), not only the first")
    func glibcTooOldTwice() throws {
        let missing = ["GLIBC_2.34", "GLIBC_2.38"].map { version in
            LinkProblem.versionNotFound(
                version: version, library: "libc.so.6", libraryPath: "/lib/x86_64-linux-gnu/libc.so.6",
                requiredBy: "/app/server", provided: ["GLIBC_2.2.5", "GLIBC_2.30"],
                message:
                    "/app/server: /lib/x86_64-linux-gnu/libc.so.6: version `\(version)' not found (required by /app/server)"
            )
        }
        let loading = FakeLoading(facts: ["/app/server": .glibcAMD64], problems: ["/app/server": missing])
        let base = Fixture.debian(release: "11", codename: "bullseye", glibc: "2.31-13+deb11u11")
        let findings = audit(Fixture.image(base + [Fixture.elf("app/server")], entrypoint: ["/app/server"]), loading)
            .findings.filter { $0.code == .missingSymbolVersion }
        #expect(findings.count == 2)
        for finding in findings {
            // KnownBases: bookworm has glibc 2.36, trixie 2.41 (checked on the Debian images' libc6).
            #expect(
                finding.fix.first
                    == "run it on a base that provides GLIBC_2.34, GLIBC_2.38: debian:trixie-slim or gcr.io/distroless/base-debian13 is the oldest such"
            )
        }
    }

    @Test("musl: a glibc-only symbol stops the start with Error relocating [verified]")
    func muslRelocation() throws {
        let message = "Error relocating /app/chk: __strcpy_chk: symbol not found"
        let loading = FakeLoading(
            facts: ["/app/chk": .glibcAMD64],
            problems: [
                "/app/chk": [
                    .symbolNotFound(symbol: "__strcpy_chk", requiredBy: "/app/chk", atStartup: true, message: message)
                ]
            ],
            libc: .musl)
        let entries =
            Fixture.alpine + [
                Fixture.symlink("lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1"), Fixture.elf("app/chk"),
            ]
        let result = audit(Fixture.image(entries, entrypoint: ["/app/chk"]), loading)
        let finding = try #require(result.findings.first)
        #expect(result.verdict == .fail)
        #expect(result.identity.glibcCompat)
        #expect(finding.code == .missingSymbol)
        #expect(finding.cause.contains("glibc binary running on musl"))
    }

    @Test("glibc: a lazily bound missing function is a warning, the program starts")
    func lazySymbol() throws {
        let loading = FakeLoading(
            facts: ["/app/server": .glibcAMD64],
            problems: [
                "/app/server": [
                    .symbolNotFound(
                        symbol: "bar", requiredBy: "/app/server", atStartup: false,
                        message: "/app/server: symbol lookup error: /app/server: undefined symbol: bar")
                ]
            ])
        let result = audit(
            Fixture.image(Fixture.debian() + [Fixture.elf("app/server")], entrypoint: ["/app/server"]), loading)
        #expect(result.verdict == .pass)
        #expect(result.findings.map(\.severity) == [.warning])
    }

    @Test("an ELF file the reader could not analyse is a warning, and its start is not judged")
    func notAnalysed() {
        let loading = FakeLoading(unanalysed: ["/app/server": "the bytes were not captured"])
        let result = audit(Fixture.image([Fixture.elf("app/server")], entrypoint: ["/app/server"]), loading)
        #expect(result.verdict == .notJudged)
        #expect(result.findings.map(\.severity) == [.warning])
        #expect(result.findings.map(\.code) == [.binaryNotAnalysed])
    }
}

/// What the audit adds to the loader's word: the library elsewhere in the image, a stale
/// ld.so.cache, and no echo of problems that only follow from another.
@Suite struct LoaderDiagnosisTests {
    private let missingFoo = LinkProblem.libraryNotFound(
        name: "libfoo.so.1", neededBy: "/opt/app/bin/app",
        searched: ["/etc/ld.so.cache (ld.so.cache): no entry for libfoo.so.1"],
        message:
            "/opt/app/bin/app: error while loading shared libraries: libfoo.so.1: cannot open shared object file: No such file or directory"
    )
    private let lazyFoo = LinkProblem.symbolNotFound(
        symbol: "foo", requiredBy: "/opt/app/bin/app", atStartup: false,
        message: "/opt/app/bin/app: symbol lookup error: /opt/app/bin/app: undefined symbol: foo")

    private func image(_ extra: [LayerEntry]) -> ImageUnderAudit {
        Fixture.image(
            Fixture.debian() + [Fixture.elf("opt/app/bin/app"), Fixture.elf("opt/app/lib/libfoo.so.1")] + extra,
            entrypoint: ["/opt/app/bin/app"])
    }

    private var loading: FakeLoading {
        FakeLoading(facts: ["/opt/app/bin/app": .glibcAMD64], problems: ["/opt/app/bin/app": [missingFoo, lazyFoo]])
    }

    @Test("a library in a directory the loader does not search: where it is and how to make it searched")
    func libraryElsewhere() throws {
        let result = audit(image([]), loading)
        // The lazy symbol of the missing library is not repeated.
        #expect(result.findings.map(\.code) == [.missingLibrary])
        let finding = try #require(result.findings.first)
        #expect(finding.chain.last == "a file named libfoo.so.1 exists at /opt/app/lib/libfoo.so.1")
        #expect(
            finding.cause.hasSuffix(
                "the image has it at /opt/app/lib/libfoo.so.1, but glibc's loader does not search /opt/app/lib for it"))
        #expect(finding.fix.first?.contains("-Wl,-rpath,'$ORIGIN/../lib'") == true)
    }

    @Test("listed in /etc/ld.so.conf.d but not in the cache: ldconfig was not run [oracle: glibc-ldcache-stale]")
    func staleCache() throws {
        let finding = try #require(
            audit(image([Fixture.data("etc/ld.so.conf.d/app.conf", "# app\n/opt/app/lib\n")]), loading).findings.first)
        #expect(finding.cause.contains("/etc/ld.so.conf.d/app.conf lists /opt/app/lib"))
        #expect(finding.fix.first == "run ldconfig in the final stage after copying the library: RUN ldconfig")
    }

    @Test("a symbol whose version is missing is the version problem, reported once")
    func versionNotRepeated() {
        let version = LinkProblem.versionNotFound(
            version: "GLIBC_2.34", library: "libc.so.6", libraryPath: "/lib/x86_64-linux-gnu/libc.so.6",
            requiredBy: "/app",
            provided: ["GLIBC_2.2.5", "GLIBC_2.30"], message: "m")
        let symbol = LinkProblem.symbolNotFound(
            symbol: "__libc_start_main", requiredBy: "/app", atStartup: true,
            message: "/app: symbol lookup error: /app: undefined symbol: __libc_start_main, version GLIBC_2.34")
        let other = LinkProblem.symbolNotFound(
            symbol: "bar", requiredBy: "/app", atStartup: true,
            message: "/app: symbol lookup error: /app: undefined symbol: bar")
        let loading = FakeLoading(facts: ["/app": .glibcAMD64], problems: ["/app": [version, symbol, other]])
        let result = audit(Fixture.image(Fixture.debian() + [Fixture.elf("app")], entrypoint: ["/app"]), loading)
        #expect(result.findings.map(\.code) == [.missingSymbolVersion, .missingSymbol])
        #expect(result.findings.last?.message.hasSuffix("undefined symbol: bar") == true)
    }
}
