import ImageAuditCore
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// Distribution and C library, as `inspect` reports them.
@Suite struct ImageFactsTests {
    private func image(_ body: (inout TarWriter) -> Void) throws -> Image {
        let layer = try FixtureLayer(body)
        return try #require(
            try readImages(
                ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: .randomAccess
            ).first)
    }

    @Test("os-release through Debian's /etc/os-release -> ../usr/lib/os-release symlink")
    func osRelease() throws {
        let debian = try image { tar in
            tar.add("etc/os-release", .symlink("../usr/lib/os-release"))
            tar.add(
                "usr/lib/os-release",
                .file(Array("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n".utf8)))
        }
        #expect(
            debian.distribution
                == Distribution(
                    id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)",
                    source: "/etc/os-release"))
    }

    @Test("alpine-release, debian_version and distroless status.d without os-release")
    func releaseFiles() throws {
        #expect(
            try image { $0.add("etc/alpine-release", .file(Array("3.19.1\n".utf8))) }.distribution?.displayName
                == "alpine 3.19.1")
        #expect(
            try image { $0.add("etc/debian_version", .file(Array("12.5\n".utf8))) }.distribution?.displayName
                == "debian 12.5")
        #expect(
            try image { $0.add("var/lib/dpkg/status.d/base", .file(Array("Package: base-files\n".utf8))) }.distribution?
                .id == "distroless")
        #expect(try image { $0.add("app", .file([])) }.distribution == nil)
    }

    @Test("glibc through the /lib64 symlink, musl in /lib, none when the loader is a dangling link")
    func loaders() throws {
        let glibc = try image { tar in
            tar.add("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", .file([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755)
            tar.add("lib64/ld-linux-x86-64.so.2", .symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
        }
        #expect(glibc.loaders == [LoaderPresence(libc: .glibc, path: "/lib64/ld-linux-x86-64.so.2")])
        let musl = try image { $0.add("lib/ld-musl-aarch64.so.1", .file([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755) }
        #expect(musl.loaders.map(\.libc) == [.musl])
        let dangling = try image { $0.add("lib/ld-linux-aarch64.so.1", .symlink("gone")) }
        #expect(dangling.loaders.isEmpty)
        let usrmerge = try image { tar in
            tar.add("lib", .symlink("usr/lib"))
            tar.add("usr/lib/ld-linux-aarch64.so.1", .file([0x7f]), mode: 0o755)
        }
        #expect(usrmerge.loaders.map(\.path) == ["/lib/ld-linux-aarch64.so.1"])
    }
}
