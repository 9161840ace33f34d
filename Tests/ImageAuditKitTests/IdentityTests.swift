import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit
import ImageAuditTestSupport
import Testing

/// Distribution, C library and package manager, as `inspect` and the audit read them: through
/// the real reader with the audit's own content requirements.
@Suite struct IdentityTests {
    private func identity(_ body: (inout TarWriter) -> Void) throws -> ImageIdentity {
        let layer = try FixtureLayer(body)
        let tarball = ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])]))
        let audit = TarballAudit()
        let image = try #require(try withTemporaryFile(tarball) { try audit.read($0) }.first)
        let identity = audit.identity(of: image)
        #expect(audit.audit(image, options: AuditOptions()).identity == identity, "inspect and the audit disagree")
        return identity
    }

    @Test("os-release through Debian's /etc/os-release -> ../usr/lib/os-release symlink")
    func osRelease() throws {
        let debian = try identity { tar in
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
        #expect(debian.libc == nil && debian.packageManager == nil)
    }

    @Test("alpine-release, debian_version and distroless status.d without os-release")
    func releaseFiles() throws {
        #expect(
            try identity { $0.add("etc/alpine-release", .file(Array("3.19.1\n".utf8))) }.distribution?.displayName
                == "Alpine Linux v3.19")
        // As Alpine's own os-release names them (alpine-base: VERSION_ID=3.19.1, PRETTY_NAME v3.19).
        #expect(
            try identity { $0.add("etc/alpine-release", .file(Array("3.20_alpha20240329\n".utf8))) }
                .distribution?.displayName == "Alpine Linux edge")
        #expect(
            try identity { $0.add("etc/debian_version", .file(Array("12.5\n".utf8))) }.distribution?.displayName
                == "debian 12.5")
        #expect(
            try identity { $0.add("var/lib/dpkg/status.d/base", .file(Array("Package: base-files\n".utf8))) }
                .distribution?
                .id == "distroless")
        #expect(try identity { $0.add("app", .file([])) }.distribution == nil)
        let distroless = try identity {
            $0.add("var/lib/dpkg/status.d/base", .file(Array("Package: base-files\nVersion: 12.4\n".utf8)))
        }
        #expect(distroless.packageManager == "dpkg")
    }

    @Test("glibc through the /lib64 symlink, musl in /lib, none when the loader is a dangling link")
    func loaders() throws {
        let glibc = try identity { tar in
            tar.add("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", .file([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755)
            tar.add("lib64/ld-linux-x86-64.so.2", .symlink("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
        }
        #expect(
            glibc.libc == .glibc && glibc.loaders == [LoaderPresence(libc: .glibc, path: "/lib64/ld-linux-x86-64.so.2")]
        )
        let musl = try identity { $0.add("lib/ld-musl-aarch64.so.1", .file([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755) }
        #expect(musl.loaders.map(\.libc) == [.musl])
        let dangling = try identity { $0.add("lib/ld-linux-aarch64.so.1", .symlink("gone")) }
        #expect(dangling.loaders.isEmpty && dangling.libc == nil)
        let usrmerge = try identity { tar in
            tar.add("lib", .symlink("usr/lib"))
            tar.add("usr/lib/ld-linux-aarch64.so.1", .file([0x7f]), mode: 0o755)
        }
        #expect(usrmerge.loaders.map(\.path) == ["/lib/ld-linux-aarch64.so.1"])
    }

    @Test("symlink loops inside the image do not hang the facts")
    func imageLinkLoop() throws {
        let layer = try FixtureLayer { tar in
            tar.add("lib", .symlink("lib64"))
            tar.add("lib64", .symlink("/lib"))
            tar.add("etc/os-release", .symlink("os-release"))
        }
        let tarball = ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])]))
        let audit = TarballAudit()
        let image = try #require(try withTemporaryFile(tarball) { try audit.read($0) }.first)
        #expect(audit.identity(of: image).loaders.isEmpty)
        #expect(audit.identity(of: image).distribution == nil)
    }
}
