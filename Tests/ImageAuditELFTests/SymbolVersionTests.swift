import ImageAuditELF
import Testing

/// `DT_VERNEED` and `DT_VERDEF`. Expected values from `readelf -V FILE` (run in Tests/Fixtures/elf).
@Suite struct SymbolVersionTests {
    @Test("version needs list each file with its versions")
    func needs() throws {
        let file = try parseFixture("glibc/usever")
        // readelf -V glibc/usever:
        //   File: libver.so.1  Cnt: 2 -> FOO_1 (Version: 4), FOO_2 (Version: 3)
        //   File: libc.so.6    Cnt: 2 -> GLIBC_2.2.5 (Version: 5), GLIBC_2.34 (Version: 2)
        #expect(file.versionNeeds.map(\.file) == ["libver.so.1", "libc.so.6"])
        #expect(file.versionNeeds[0].versions.map(\.name) == ["FOO_1", "FOO_2"])
        #expect(file.versionNeeds[0].versions.map(\.index) == [4, 3])
        #expect(file.versionNeeds[1].versions.map(\.name) == ["GLIBC_2.2.5", "GLIBC_2.34"])
        #expect(file.versionNeeds.allSatisfy { $0.versions.allSatisfy { !$0.isWeak } })
    }

    @Test("version definitions start with the base entry")
    func definitions() throws {
        let file = try parseFixture("glibc/libver-new.so")
        // readelf -V glibc/libver-new.so: Flags: BASE Index: 1 Name: libver.so.1; Index: 2 FOO_1; Index: 3 FOO_2
        #expect(file.versionDefinitions.map(\.name) == ["libver.so.1", "FOO_1", "FOO_2"])
        #expect(file.versionDefinitions.map(\.index) == [1, 2, 3])
        #expect(file.versionDefinitions.map(\.isBase) == [true, false, false])
        #expect(file.highestDefinedVersion(prefix: "FOO_") == "FOO_2")
        // readelf -V glibc/libver-old.so: libver.so.1 (BASE), FOO_1
        #expect(try parseFixture("glibc/libver-old.so").highestDefinedVersion(prefix: "FOO_") == "FOO_1")
        // readelf -V glibc/libver-nover.so: no version information
        #expect(try parseFixture("glibc/libver-nover.so").versionDefinitions.isEmpty)
    }

    @Test("C++ programs need GLIBCXX_* and CXXABI_* from libstdc++")
    func cxx() throws {
        let file = try parseFixture("glibc/cxx")
        // readelf -V glibc/cxx: File: libstdc++.so.6 -> GLIBCXX_3.4.21, GLIBCXX_3.4, CXXABI_1.3
        let libstdcxx = try #require(file.versionNeeds.first { $0.file == "libstdc++.so.6" })
        #expect(Set(libstdcxx.versions.map(\.name)) == ["GLIBCXX_3.4.21", "GLIBCXX_3.4", "CXXABI_1.3"])
        // File: libgcc_s.so.1 -> GCC_3.0
        #expect(file.versionNeeds.contains { $0.file == "libgcc_s.so.1" && $0.versions.map(\.name) == ["GCC_3.0"] })
    }

    @Test("version names order numerically within a family")
    func ordering() {
        #expect(VersionName.isOlder("GLIBC_2.4", "GLIBC_2.34"))
        #expect(VersionName.isOlder("GLIBC_2.2.5", "GLIBC_2.3"))
        #expect(!VersionName.isOlder("GLIBCXX_3.4.30", "GLIBCXX_3.4.29"))
        #expect(VersionName.split("CXXABI_1.3.13").numbers == [1, 3, 13])
    }
}
