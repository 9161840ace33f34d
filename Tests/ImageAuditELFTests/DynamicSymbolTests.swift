import ImageAuditELF
import Testing

/// Dynamic symbols, their versions, and how relocations use them. Expected values from
/// `readelf --dyn-syms -r FILE` (run in Tests/Fixtures/elf).
@Suite struct DynamicSymbolTests {
    @Test("undefined symbols carry the version they need and the file it comes from")
    func undefinedVersions() throws {
        let symbols = undefinedByName(try parseFixture("glibc/usever"))
        // readelf --dyn-syms glibc/usever: UND bar@FOO_2 (3), foo@FOO_1 (4), __libc_start_main@GLIBC_2.34 (2)
        #expect(symbols["bar"]?.version == "FOO_2")
        #expect(symbols["bar"]?.versionFile == "libver.so.1")
        #expect(symbols["foo"]?.version == "FOO_1")
        #expect(symbols["__libc_start_main"]?.version == "GLIBC_2.34")
        #expect(symbols["__libc_start_main"]?.versionFile == "libc.so.6")
        // WEAK NOTYPE UND __gmon_start__ (no version)
        #expect(symbols["__gmon_start__"]?.isWeak == true)
        #expect(symbols["__gmon_start__"]?.version == nil)
        #expect(symbols["foo"]?.type == .function)
    }

    @Test("PLT-only references are lazy, GLOB_DAT references eager")
    func references() throws {
        let symbols = undefinedByName(try parseFixture("glibc/usever"))
        // readelf -r glibc/usever: .rela.plt R_X86_64_JUMP_SLOT bar, foo; .rela.dyn R_X86_64_GLOB_DAT __libc_start_main
        #expect(symbols["bar"]?.reference == .lazy)
        #expect(symbols["foo"]?.reference == .lazy)
        #expect(symbols["__libc_start_main"]?.reference == .eager)
    }

    @Test("a copy relocation makes a defined-looking data symbol a reference")
    func copyRelocation() throws {
        let file = try parseFixture("glibc/usedata")
        // readelf --dyn-syms glibc/usedata: OBJECT GLOBAL 26 data_sym@FOO_2 (4)
        // readelf -r glibc/usedata: R_X86_64_COPY data_sym@FOO_2
        let data = try #require(undefinedByName(file)["data_sym"])
        #expect(data.reference == .copy)
        #expect(data.type == .object)
        #expect(data.version == "FOO_2")
        #expect(data.versionFile == "libver.so.1")
    }

    @Test("definitions match references by name and version, like glibc's check_match")
    func lookups() throws {
        let user = undefinedByName(try parseFixture("glibc/usever"))
        let bar = try #require(user["bar"])
        let foo = try #require(user["foo"])
        // readelf --dyn-syms glibc/libver-new.so: foo@@FOO_1, bar@@FOO_2, data_sym@@FOO_2
        let new = try parseFixture("glibc/libver-new.so").symbols
        #expect(new.defines(bar, checkingVersions: true))
        #expect(new.defines(foo, checkingVersions: true))
        #expect(new.definedCount == 5)  // FOO_1, foo, bar, FOO_2, data_sym (ABS version symbols count)
        // readelf --dyn-syms glibc/libver-old.so: foo@@FOO_1 only
        let old = try parseFixture("glibc/libver-old.so").symbols
        #expect(!old.defines(bar, checkingVersions: true))
        #expect(!old.defines(bar, checkingVersions: false))
        #expect(old.defines(foo, checkingVersions: true))
        // Without DT_VERSYM any definition satisfies a versioned reference.
        let unversioned = try parseFixture("glibc/libver-nover.so").symbols
        #expect(!unversioned.hasVersions)
        #expect(unversioned.defines(bar, checkingVersions: true))
    }

    @Test("a reference with another version does not bind to a versioned definition")
    func versionMismatch() throws {
        let bar = try #require(undefinedByName(try parseFixture("glibc/usever"))["bar"])
        let renamed = UndefinedSymbol(
            name: bar.name, version: "FOO_9", versionFile: bar.versionFile, isWeak: false, type: .function,
            reference: .eager)
        let new = try parseFixture("glibc/libver-new.so").symbols
        #expect(!new.defines(renamed, checkingVersions: true))
        #expect(new.defines(renamed, checkingVersions: false))
    }
}
