import ImageAuditCheck
import ImageAuditFS
import Testing

/// Fixes fit the image (issue 14, item 8): a package-manager command only where that tool is in
/// the image; dpkg's status.d alone is distroless: copy from the build stage, or another variant.
@Suite struct FixesFitTests {
    private func fixes(_ base: [LayerEntry], library: String = "libssl.so.3") throws -> [String] {
        let loading = FakeLoading(
            facts: ["/app/server": .glibcAMD64],
            problems: [
                "/app/server": [
                    .libraryNotFound(
                        name: library, neededBy: "/app/server", searched: ["/lib/x86_64-linux-gnu"],
                        message:
                            "/app/server: error while loading shared libraries: \(library): cannot open shared object file"
                    )
                ]
            ])
        let image = Fixture.image(base + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
        return try #require(audit(image, loading).findings.first).fix
    }

    /// Debian's files without apt-get, and with status.d in place of status (distroless).
    private var withoutApt: [LayerEntry] { Fixture.debian().filter { $0.path != Array("usr/bin/apt-get".utf8) } }
    private var distroless: [LayerEntry] {
        withoutApt.filter { $0.path != Array("var/lib/dpkg/status".utf8) }
            + [Fixture.data("var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u7\n")]
    }

    @Test("Debian with apt-get: apt-get install; without it: copy, never apt-get")
    func apt() throws {
        #expect(
            try fixes(Fixture.debian()).first
                == "install it: apt-get update && apt-get install -y --no-install-recommends libssl3")
        let copy = try fixes(withoutApt)
        #expect(!copy.joined().contains("apt-get"))
        #expect(copy.first?.hasPrefix("copy it (package libssl3 on the build stage's distribution)") == true)
    }

    @Test("distroless (status.d only): copy from the build stage or the distroless variant, no package command")
    func distrolessFixes() throws {
        let ssl = try fixes(distroless)
        #expect(!ssl.joined().contains("apt-get"))
        #expect(ssl.first?.hasPrefix("copy it (package libssl3") == true)
        #expect(ssl.last?.hasPrefix("or build on the distroless variant that has it") == true)
        let cxx = try fixes(distroless, library: "libstdc++.so.6")
        #expect(!cxx.joined().contains("apt-get"))
        #expect(cxx.contains("on distroless: use gcr.io/distroless/cc-debian12, which has libstdc++ and libgcc_s"))
        let unknown = try fixes(distroless, library: "libfoo.so.1")
        #expect(unknown.first?.hasPrefix("copy libfoo.so.1 from the build stage") == true)
    }

    @Test("Alpine without apk (apk removed): no apk add")
    func apk() throws {
        let loading = FakeLoading(facts: [
            "/app/server": ELFFacts(
                machine: 62, is64Bit: true, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libc.so.6"])
        ])
        func fixes(_ base: [LayerEntry]) throws -> [String] {
            let image = Fixture.image(base + [Fixture.elf("app/server")], entrypoint: ["/app/server"])
            return try #require(audit(image, loading).findings.first).fix
        }
        #expect(try fixes(Fixture.alpine).contains { $0.contains("apk add gcompat") })
        #expect(
            try !fixes(Fixture.alpine.filter { $0.path != Array("sbin/apk".utf8) }).contains { $0.contains("apk add") })
    }
}
