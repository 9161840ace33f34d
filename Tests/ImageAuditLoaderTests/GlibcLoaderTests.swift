import ImageAuditELF
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// glibc's search order and checks on in-memory images. Message shapes are the ones glibc 2.36
/// printed for the same situations on this machine (see docs/loader-notes.md, "Messages").
@Suite struct GlibcLoaderTests {
    @Test("a PIE finds libc.so.6 in the default directories and reuses ld.so by SONAME")
    func defaultDirectories() throws {
        var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/hello")
        let report = load(image, "/app")
        #expect(report.loader == .glibc)
        #expect(report.interpreter == "/lib64/ld-linux-x86-64.so.2")
        #expect(
            report.libraryPaths == [
                "/lib64/ld-linux-x86-64.so.2": "/lib64/ld-linux-x86-64.so.2",
                "libc.so.6": "/lib/x86_64-linux-gnu/libc.so.6",
            ])
        #expect(report.objects[2].rule == .defaultDirectory)
        #expect(report.objects[2].resolvedPath == "/usr/lib/x86_64-linux-gnu/libc.so.6")
        let ldso = try #require(report.dependencies.first { $0.name == "ld-linux-x86-64.so.2" })
        #expect(ldso.outcome == .reused(1, because: "SONAME of a loaded object"))
        #expect(
            report.glibc?.systemDirectories == [
                "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
            ])
        #expect(report.glibc?.version == [2, 36])
        #expect(report.wouldStart, "\(report.problems)")
    }

    @Test("missing interpreter: execve fails with ENOENT although the program is there")
    func missingInterpreter() throws {
        var image = TestImage.alpine(reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/hello")
        let report = load(image, "/app")
        #expect(report.firstFatalProblem?.kind == .interpreterMissing)
        #expect(report.firstFatalProblem?.message == "exec /app: no such file or directory")
        #expect(report.firstFatalProblem?.detail.contains("/lib64/ld-linux-x86-64.so.2") == true)
    }

    @Test("an interpreter for another machine is ELIBBAD")
    func interpreterWrongMachine() throws {
        var image = TestImage(reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/hello")
        var arm = ELFBuilder()
        arm.machine = 183
        image.file("/lib64/ld-linux-x86-64.so.2", arm.build())
        let report = load(image, "/app")
        #expect(report.firstFatalProblem?.kind == .interpreterUnusable)
        #expect(report.firstFatalProblem?.message == "exec /app: accessing a corrupted shared library")
    }

    @Test("library not found: every directory searched, in order, with the rule")
    func notFound() throws {
        var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/cxx")
        let report = load(image, "/app", options: LoaderOptions(environment: ["LD_LIBRARY_PATH": "/opt/lib"]))
        #expect(report.wouldStart)
        var bare = TestImage.debian(reading: DynamicLoader.contentRequirements)
        try bare.fixture("/app", "glibc/usever")
        let missing = load(bare, "/app", options: LoaderOptions(environment: ["LD_LIBRARY_PATH": "/opt/lib"]))
        let problem = try #require(missing.firstFatalProblem)
        // glibc 2.36: "./appmiss: error while loading shared libraries: libfoo.so: cannot open shared object file: No such file or directory"
        #expect(
            problem.message
                == "/app: error while loading shared libraries: libver.so.1: cannot open shared object file: No such file or directory"
        )
        let searched = try #require(missing.dependency("libver.so.1")).searched
        #expect(
            searched.map(\.location) == [
                "/opt/lib", "/etc/ld.so.cache", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib",
                "/usr/lib",
            ])
        #expect(
            searched.map(\.rule) == [
                .libraryPath, .cache, .defaultDirectory, .defaultDirectory, .defaultDirectory, .defaultDirectory,
            ])
    }

    @Test("an ancestor's RPATH is inherited, unless that ancestor also has a RUNPATH")
    func rpathIgnoredWithRunpath() throws {
        // Checked with glibc 2.36 on this machine: prog (RPATH /leaf patched in beside RUNPATH
        // /mid) → libmid.so (no paths) → libleaf.so; LD_DEBUG=libs searched only the system
        // path for libleaf.so and the start failed. With RPATH alone, RPATH is inherited.
        func image(rpath: String?, runpath: String?) -> TestImage {
            var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
            var program = ELFBuilder()
            program.interpreter = "/lib64/ld-linux-x86-64.so.2"
            program.needed = ["libmid.so"]
            (program.rpath, program.runpath) = (rpath, runpath)
            image.file("/app", program.build())
            var mid = ELFBuilder()
            mid.soname = "libmid.so"
            mid.needed = ["libleaf.so"]
            image.file("/mid/libmid.so", mid.build())
            var leaf = ELFBuilder()
            leaf.soname = "libleaf.so"
            image.file("/leaf/libleaf.so", leaf.build())
            return image
        }
        let both = load(image(rpath: "/leaf", runpath: "/mid"), "/app")
        #expect(both.dependency("libmid.so")?.outcome == .loaded(2))
        #expect(both.dependency("libleaf.so")?.outcome == .notFound)
        #expect(both.dependency("libleaf.so")?.searched.contains { $0.location == "/leaf" } == false)
        let rpathOnly = load(image(rpath: "/leaf:/mid", runpath: nil), "/app")
        #expect(rpathOnly.libraryPaths["libleaf.so"] == "/leaf/libleaf.so")
        #expect(rpathOnly.objects.first { $0.path == "/leaf/libleaf.so" }?.rule == .rpath(of: "/app"))
    }

    @Test("GLIBC_2.34 needed, the image's libc.so.6 provides up to GLIBC_2.31")
    func glibcTooOld() throws {
        var image = TestImage.debian(glibc: "2.31", reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/hello")
        let problem = try #require(load(image, "/app").firstFatalProblem)
        #expect(problem.kind == .versionNotFound)
        // glibc 2.36: "./usev: /tmp/elfx/old/libv.so.1: version `FOO_2' not found (required by ./usev)"
        #expect(
            problem.message
                == "/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /app)")
        #expect(problem.detail.contains("libc.so.6 provides up to GLIBC_2.31"))
    }

    @Test("GLIBCXX and CXXABI versions are checked against libstdc++")
    func glibcxx() throws {
        var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
        image.file("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", FakeLibraries.libstdcxx(newest: 20))
        try image.fixture("/app", "glibc/cxx")
        let problem = try #require(load(image, "/app").firstFatalProblem)
        #expect(
            problem.message
                == "/app: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.21' not found (required by /app)")
        #expect(problem.detail.contains("provides up to GLIBCXX_3.4.20"))
    }

    @Test("a library version missing from the provider, and a provider without versions")
    func libraryVersions() throws {
        var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
        try image.fixture("/app", "glibc/usever")
        try image.fixture("/usr/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-old.so")
        #expect(
            load(image, "/app").firstFatalProblem?.message
                == "/app: /lib/x86_64-linux-gnu/libver.so.1: version `FOO_2' not found (required by /app)")
        try image.fixture("/usr/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-nover.so")
        let report = load(image, "/app")
        #expect(report.wouldStart)
        #expect(report.problems.contains { $0.kind == .versionWarning })
    }

    @Test("undefined symbols: lazy PLT calls start, BIND_NOW and data references do not")
    func undefinedSymbols() throws {
        var image = TestImage.debian(reading: DynamicLoader.contentRequirements)
        image.file("/usr/lib/x86_64-linux-gnu/libver.so.1", FakeLibraries.libverWithoutBar())
        try image.fixture("/lazy", "glibc/uselazy")
        try image.fixture("/now", "glibc/uselazy-now")
        try image.fixture("/data", "glibc/usedata")
        let lazy = load(image, "/lazy")
        #expect(lazy.wouldStart)
        #expect(lazy.problems.contains { $0.kind == .undefinedSymbolLazy && $0.subject == "bar" })
        // glibc 2.36, -z now: "./usev2: symbol lookup error: ./usev2: undefined symbol: bar, version FOO_2"
        #expect(
            load(image, "/now").fatalMessages == [
                "/now: symbol lookup error: /now: undefined symbol: bar, version FOO_2"
            ])
        // glibc 2.36 without BIND_NOW: "./used: symbol lookup error: ./used: undefined symbol: data_sym"
        #expect(
            load(image, "/data").fatalMessages == [
                "/data: symbol lookup error: /data: undefined symbol: data_sym, version FOO_2"
            ])
        // LD_BIND_NOW in the image environment binds the lazy one at start too.
        let bound = load(image, "/lazy", options: LoaderOptions(environment: ["LD_BIND_NOW": "1"]))
        #expect(bound.firstFatalProblem?.subject == "bar")
    }
}
