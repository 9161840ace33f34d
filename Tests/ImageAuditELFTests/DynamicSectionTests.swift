import ImageAuditELF
import Testing

/// `DT_NEEDED`, `DT_SONAME`, `DT_RPATH`, `DT_RUNPATH` and the flags, from `PT_DYNAMIC`.
/// Expected values from `readelf -d FILE` (run in Tests/Fixtures/elf).
@Suite struct DynamicSectionTests {
    @Test("DT_RPATH, not DT_RUNPATH, with --disable-new-dtags")
    func rpath() throws {
        let file = try parseFixture("glibc/usedep-rpath")
        // readelf -d glibc/usedep-rpath: NEEDED [libdep.so] [libc.so.6]; RPATH [$ORIGIN/../lib:/opt/leaf]
        #expect(file.needed == ["libdep.so", "libc.so.6"])
        #expect(file.dynamic?.rpath == "$ORIGIN/../lib:/opt/leaf")
        #expect(file.dynamic?.runpath == nil)
    }

    @Test("DT_RUNPATH with --enable-new-dtags")
    func runpath() throws {
        let file = try parseFixture("glibc/usedep-runpath")
        // readelf -d glibc/usedep-runpath: RUNPATH [$ORIGIN/../lib:/opt/leaf]
        #expect(file.dynamic?.runpath == "$ORIGIN/../lib:/opt/leaf")
        #expect(file.dynamic?.rpath == nil)
    }

    @Test("DT_SONAME and a library's own DT_RPATH")
    func soname() throws {
        let file = try parseFixture("glibc/libdep-rpath.so")
        // readelf -d glibc/libdep-rpath.so: NEEDED [libleaf.so]; SONAME [libdep.so]; RPATH [$ORIGIN/leaf]
        #expect(file.soname == "libdep.so")
        #expect(file.needed == ["libleaf.so"])
        #expect(file.dynamic?.rpath == "$ORIGIN/leaf")
    }

    @Test("dynamic string tokens are kept unexpanded")
    func tokens() throws {
        // readelf -d glibc/tokens: RUNPATH [${ORIGIN}/a:$ORIGIN/b:/x/$LIB:/y/$PLATFORM]
        #expect(try parseFixture("glibc/tokens").dynamic?.runpath == "${ORIGIN}/a:$ORIGIN/b:/x/$LIB:/y/$PLATFORM")
    }

    @Test("BIND_NOW from -z now, NODEFLIB from -z nodefaultlib, PIE")
    func flags() throws {
        // readelf -d glibc/hello-now: FLAGS BIND_NOW; FLAGS_1 Flags: NOW PIE
        let now = try #require(try parseFixture("glibc/hello-now").dynamic)
        #expect(now.bindNow)
        #expect(now.flags & 0x8 != 0)
        #expect(now.flags1 & 0x1 != 0)
        // readelf -d glibc/hello: FLAGS_1 Flags: PIE (no BIND_NOW)
        #expect(try parseFixture("glibc/hello").dynamic?.bindNow == false)
        // readelf -d glibc/nodeflib: FLAGS_1 Flags: NODEFLIB PIE
        let nodeflib = try #require(try parseFixture("glibc/nodeflib").dynamic)
        #expect(nodeflib.noDefaultLibraries)
        #expect(nodeflib.isPIE)
    }

    @Test("a static executable has no dynamic section")
    func noDynamic() throws {
        let file = try parseFixture("glibc/nostdlib-static")
        #expect(file.dynamic == nil)
        #expect(file.needed.isEmpty)
    }

    @Test("SysV DT_HASH instead of DT_GNU_HASH still gives every symbol")
    func sysvHash() throws {
        // readelf --dyn-syms glibc/hello-sysvhash: 7 entries (6 after the null one): puts is undefined
        let gnu = try parseFixture("glibc/hello")
        let sysv = try parseFixture("glibc/hello-sysvhash")
        #expect(sysv.symbols.undefined.map(\.name) == gnu.symbols.undefined.map(\.name))
        #expect(sysv.symbols.undefined.contains { $0.name == "puts" })
        #expect(sysv.symbols.isComplete)
    }
}
