import ImageAuditCheck
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// The modules of a Python the start path reaches (`sh -c`, `exec "$@"`, `tini --`, `gosu`) are
/// checked in the process state it runs with; a conditional start gives warnings. The loader
/// model runs over stand-in ELF files (`TestImage.debian`): the module needs `libGL.so.1`.
@Suite struct StartPathModuleTests {
    /// Debian-like base, python3.11 (stand-in ELF) with its landmark, /app/main.py importing the
    /// extension module /app/ext.so that needs libGL.so.1.
    private static func entries(main: String = "import ext\n", module: String = "/app/ext.so") -> [LayerEntry] {
        var image = TestImage.debian(reading: Auditor.requirements)
        var python = ELFBuilder()
        python.type = 3
        python.interpreter = "/lib64/ld-linux-x86-64.so.2"
        python.needed = ["libm.so.6", "libc.so.6"]
        image.file("/usr/bin/python3.11", python.build())
        image.symlink("/usr/bin/python3", "python3.11")
        image.text("/usr/lib/python3.11/os.py", "")
        var ext = ELFBuilder()
        ext.soname = nil
        ext.needed = ["libGL.so.1", "libc.so.6"]
        image.file(module, ext.build())
        image.text("/app/main.py", main)
        let stubs = Fixture.debian().filter {
            let path = PathBytes.display($0.path)
            return !path.contains("x86_64-linux-gnu") && !path.contains("lib64")
        }
        return stubs + image.entries + [
            Fixture.elf("usr/bin/tini"), Fixture.elf("usr/sbin/gosu"),
            Fixture.data("etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n"),
        ]
    }

    private func run(
        _ extra: [LayerEntry] = [], entrypoint: [String]? = nil, cmd: [String]? = nil, main: String = "import ext\n"
    ) -> AuditResult {
        audit(
            Fixture.image(
                Self.entries(main: main) + extra, entrypoint: entrypoint, cmd: cmd,
                env: ["PATH=/usr/local/bin:/usr/sbin:/usr/bin:/bin"], workingDir: "/app"))
    }

    private static let libGL = "ImportError: libGL.so.1: cannot open shared object file: No such file or directory"

    @Test("python3 as argv: the import fails, chain from the interpreter as before")
    func direct() throws {
        let finding = try #require(run(cmd: ["python3", "/app/main.py"]).findings.first)
        #expect(finding.code == .moduleWillNotLoad)
        #expect(finding.severity == .error)
        #expect(finding.message == Self.libGL)
        #expect(finding.chain.first?.hasPrefix("/usr/bin/python3 is a Python interpreter") == true)
        #expect(finding.chain.contains("/app/main.py imports ext"))
        // The package of the image's own distribution that ships the soname.
        #expect(finding.fix.first == "install it: apt-get update && apt-get install -y --no-install-recommends libgl1")
    }

    @Test("sh -c \"python3 app.py\": the same error, the chain prefixed by the start path")
    func shellCommand() throws {
        let result = run(cmd: ["/bin/sh", "-c", "python3 main.py"])
        #expect(result.verdict == .fail)
        let finding = try #require(result.findings.first)
        #expect(finding.code == .moduleWillNotLoad)
        #expect(finding.severity == .error)
        #expect(finding.message == Self.libGL)
        #expect(finding.chain.first == "start path: sh -c → `python3 main.py` → /usr/bin/python3")
        #expect(finding.chain.contains("main.py imports ext") || finding.chain.contains("/app/main.py imports ext"))
    }

    @Test("a python whose failure the shell goes past is a warning")
    func conditional() throws {
        let result = run(cmd: ["/bin/sh", "-c", "python3 main.py; exec /usr/bin/tini -- /bin/sh -c true"])
        let finding = try #require(result.findings.first { $0.code == .moduleWillNotLoad })
        #expect(finding.severity == .warning)
        #expect(finding.chain.contains { $0.hasPrefix("reached only ") })
    }

    @Test("entrypoint script's exec \"$@\", tini -- and gosu: each reaches the python and its import")
    func wrappers() throws {
        let script = Fixture.file(
            "usr/local/bin/entry.sh",
            "#!/bin/sh\nset -e\nif [ \"$(id -u)\" = '0' ]; then\n  exec gosu app \"$0\" \"$@\"\nfi\nexec \"$@\"\n")
        for (entrypoint, cmd) in [
            (["/usr/bin/tini", "--"], ["python3", "/app/main.py"]),
            (["/usr/sbin/gosu", "app"], ["python3", "/app/main.py"]),
            (["entry.sh"], ["python3", "/app/main.py"]),
        ] {
            let result = run([script], entrypoint: entrypoint, cmd: cmd)
            let finding = try #require(result.findings.first, "\(entrypoint)")
            #expect(finding.code == .moduleWillNotLoad, "\(entrypoint)")
            #expect(finding.message == Self.libGL, "\(entrypoint)")
            #expect(finding.chain.first?.hasPrefix("start path: ") == true, "\(entrypoint): \(finding.chain)")
        }
    }

    @Test("the fix: libGL present, or the module not imported at top level, passes")
    func passes() {
        var gl = ELFBuilder()
        gl.soname = "libGL.so.1"
        var fixed = TestImage(reading: Auditor.requirements)
        fixed.file("/usr/lib/x86_64-linux-gnu/libGL.so.1", gl.build())
        #expect(run(fixed.entries, cmd: ["/bin/sh", "-c", "python3 main.py"]).findings.isEmpty)
        #expect(run(cmd: ["/bin/sh", "-c", "python3 main.py"], main: "def f():\n    import ext\n").findings.isEmpty)
    }
}
