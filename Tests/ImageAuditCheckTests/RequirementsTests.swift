import ImageAuditCheck
import ImageAuditFS
import Testing

/// What the audit asks the reader to keep whole (`Auditor.requirements`).
@Suite struct RequirementsTests {
    @Test(
        "the audit declares the files it reads whole, and only those",
        arguments: [
            ("etc/passwd", true), ("etc/group", true), ("etc/os-release", true), ("usr/lib/os-release", true),
            ("etc/alpine-release", true), ("etc/debian_version", true), ("etc/ld.so.cache", true),
            ("etc/ld.so.conf", true),
            ("etc/ld.so.conf.d/libc.conf", true), ("etc/ld-musl-x86_64.path", true),
            ("var/lib/dpkg/status.d/base", true),
            ("lib/apk/db/installed", true), ("var/lib/dpkg/status", true), ("lib64/ld-linux-x86-64.so.2", true),
            ("lib/ld-musl-aarch64.so.1", true), ("usr/lib/x86_64-linux-gnu/ld-2.31.so", true),
            ("lib64/ld64.so.2", true),
            ("venv/pyvenv.cfg", true), ("usr/lib/python3/dist-packages/distutils-precedence.pth", true),
            ("usr/lib/python3.11/site.py", true), ("app/main.py", true), ("main.py", true), ("opt/app/run.py", true),
            ("usr/lib/python3.11/json/decoder.py", false),
            ("etc/shadow", false), ("etc/ld.so.conf.d/sub/x.conf", false), ("usr/bin/ld", false),
            ("usr/lib/libc.so.6", false),
            ("home/etc/passwd", false), ("var/lib/dpkg/status-old", false),
        ])
    func policy(path: String, kept: Bool) {
        let components = path.split(separator: "/").map { Array($0.utf8) }
        #expect((Auditor.requirements.limit(forPath: components) != nil) == kept)
    }
    @Test("a fixture keeps data only where the declaration asks, as the reader does")
    func fixturesApplyTheDeclaration() {
        #expect(Fixture.data("etc/passwd", "root:x:0:0::/:/bin/sh\n").content?.data != nil)
        #expect(Fixture.data("etc/shadow", "root:*:19000::::::\n").content?.data == nil)
    }
}
