import Foundation
import ImageAuditELF
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// `/etc/ld.so.cache` in the three formats ldconfig writes (`-c new|old|compat`), as made by
/// `scripts/make-elf-fixtures.sh` with the host's ldconfig, and the host's own cache, each
/// compared with what `ldconfig -p` prints.
@Suite struct LDSOCacheTests {
    static let amd64 = ELFPlatform(machine: .x86_64, elfClass: .elf64, dataEncoding: .littleEndian)
    static let i386 = ELFPlatform(machine: .i386, elfClass: .elf32, dataEncoding: .littleEndian)

    static func fixture(_ format: String) throws -> LDSOCache {
        try LDSOCache(parsing: Fixtures.readFile(Fixtures.elfPath("ldcache/\(format).cache")))
    }

    @Test("every format lists the entries ldconfig -p lists, in its order", arguments: ["new", "old", "compat"])
    func entries(format: String) throws {
        let cache = try Self.fixture(format)
        // ldconfig -p -C Tests/Fixtures/elf/ldcache/FORMAT.cache
        #expect(cache.entries.map(\.name) == ["libver.so.1", "libleaf.so", "libleaf.so", "libleaf.so", "libdep.so"])
        #expect(
            cache.entries.map(\.path) == [
                "/lib/x86_64-linux-gnu/libver.so.1", "/opt/a/glibc-hwcaps/x86-64-v3/libleaf.so", "/opt/a/libleaf.so",
                "/opt/b/libleaf.so", "/lib/x86_64-linux-gnu/libdep.so",
            ])
        // (libc6,x86-64) is 0x303, the 32-bit library without libc dependency is (ELF), 1.
        #expect(cache.entries.map(\.flags) == [0x303, 0x303, 0x303, 1, 0x303])
        if format == "new" {
            #expect(cache.entries[1].hwcapsSubdirectory == "x86-64-v3")
        }
    }

    @Test("the compat format's glibc-hwcaps names are unusable, for ld.so as for ldconfig -p")
    func compatHWCaps() throws {
        // ldconfig writes the name offsets relative to the new header, ld.so (dl-cache.c,
        // glibc_hwcaps_compare) reads them from the start of the file: `ldconfig -p` prints
        // hwcap: "/libdep.so", and glibc 2.36 in a chroot with this cache on an x86-64-v3 CPU
        // loads /opt/a/libleaf.so, not the glibc-hwcaps copy (docs/loader-notes.md).
        let compat = try Self.fixture("compat")
        #expect(compat.entries[1].hwcapsSubdirectory == "/libdep.so")
        #expect(
            compat.lookup("libleaf.so", platform: Self.amd64, hwcaps: ["x86-64-v3", "x86-64-v2"])?.path
                == "/opt/a/libleaf.so")
    }

    @Test("lookups: ABI flags, glibc-hwcaps priority, the old format's blind first match")
    func lookups() throws {
        let new = try Self.fixture("new")
        #expect(new.lookup("libleaf.so", platform: Self.amd64, hwcaps: [])?.path == "/opt/a/libleaf.so")
        #expect(
            new.lookup("libleaf.so", platform: Self.amd64, hwcaps: ["x86-64-v3", "x86-64-v2"])?.path
                == "/opt/a/glibc-hwcaps/x86-64-v3/libleaf.so")
        #expect(new.lookup("libleaf.so", platform: Self.amd64, hwcaps: ["x86-64-v2"])?.path == "/opt/a/libleaf.so")
        // An i386 process takes only FLAG_ELF / FLAG_ELF_LIBC6 entries without an ABI tag.
        #expect(new.lookup("libleaf.so", platform: Self.i386, hwcaps: [])?.path == "/opt/b/libleaf.so")
        #expect(new.lookup("libdep.so", platform: Self.i386, hwcaps: []) == nil)
        #expect(new.lookup("libnothere.so", platform: Self.amd64, hwcaps: []) == nil)
        // The old format has no hwcap field: the glibc-hwcaps copy, listed first, wins on any CPU.
        let old = try Self.fixture("old")
        #expect(
            old.lookup("libleaf.so", platform: Self.amd64, hwcaps: [])?.path
                == "/opt/a/glibc-hwcaps/x86-64-v3/libleaf.so")
    }

    @Test("names compare like _dl_cache_libcmp: digit runs by value")
    func numericNames() throws {
        let new = try Self.fixture("new")
        #expect(
            new.lookup("libver.so.01", platform: Self.amd64, hwcaps: [])?.path == "/lib/x86_64-linux-gnu/libver.so.1")
    }

    @Test("this machine's cache agrees with ldconfig -p")
    func hostCache() throws {
        guard let ldconfig = Subprocess.find(["/sbin/ldconfig", "/usr/sbin/ldconfig"]),
            let bytes = try? Fixtures.readFile("/etc/ld.so.cache")
        else { return }  // no glibc host cache
        let cache = try LDSOCache(parsing: bytes)
        let output = try Subprocess.run(ldconfig, ["-p"])
        // "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1"
        let listed = output.stdout.split(separator: "\n").dropFirst().compactMap { line -> String? in
            guard let arrow = line.range(of: " => ") else { return nil }
            let name = line[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? ""
            return "\(name) \(line[arrow.upperBound...])"
        }
        #expect(cache.entries.map { "\($0.name) \($0.path)" } == listed)
    }

    @Test(
        "garbage is refused, not trusted",
        arguments: [
            [UInt8](), Array("ld.so-1.7.0".utf8),
            Array("glibc-ld.so.cache1.1".utf8) + [UInt8](repeating: 0xff, count: 40),
        ])
    func garbage(bytes: [UInt8]) {
        #expect(throws: LDSOCache.Problem.self) { try LDSOCache(parsing: bytes) }
    }

    @Test("truncations and mutations of a real cache never trap")
    func hostile() throws {
        let original = try Fixtures.readFile(Fixtures.elfPath("ldcache/compat.cache"))
        for length in 0...original.count {
            _ = try? LDSOCache(parsing: Array(original[0..<length])).lookup(
                "libleaf.so", platform: Self.amd64, hwcaps: ["x86-64-v3"])
        }
        for position in 0..<original.count {
            for value: UInt8 in [0, 0x7f, 0xff] {
                var bytes = original
                bytes[position] = value
                _ = try? LDSOCache(parsing: bytes).lookup("libleaf.so", platform: Self.amd64, hwcaps: ["x86-64-v3"])
            }
        }
    }
}
