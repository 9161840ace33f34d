import Foundation
import ImageAuditTestSupport
import Testing

/// A big venv (3,000 packages, 21,000 files, a 56 MB tarball) read by the CLI: the import scan follows
/// package `__init__.py` files six directories down to an extension module that needs
/// libGL.so.1, and the peak RSS stays bounded (the kept `__init__.py` and site modules count
/// against the audit's 128 MiB content budget). Stand-in ELF files (`FakeLibraries`,
/// `ELFBuilder`) for the loader model; `/usr/bin/time -v` for the peak RSS.
@Suite struct BigVenvTests {
    static let packages = 3000

    static func tarball() throws -> [UInt8] {
        let base = try FixtureLayer { tar in
            let lib = "usr/lib/x86_64-linux-gnu"
            for dir in ["usr/", "usr/bin/", "usr/lib/", "\(lib)/", "usr/lib64/", "usr/lib/python3.11/", "app/", "etc/"]
            {
                tar.add(dir, .directory)
            }
            tar.add("lib", .symlink("usr/lib"))
            tar.add("lib64", .symlink("usr/lib64"))
            tar.add("usr/lib64/ld-linux-x86-64.so.2", .symlink("/\(lib)/ld-linux-x86-64.so.2"))
            tar.add("\(lib)/ld-linux-x86-64.so.2", .file(FakeLibraries.glibcLoader()), mode: 0o755)
            tar.add("\(lib)/libc.so.6", .file(FakeLibraries.glibcLibc()), mode: 0o755)
            tar.add("\(lib)/libm.so.6", .file(FakeLibraries.glibcLibm()), mode: 0o755)
            var python = ELFBuilder()
            python.interpreter = "/lib64/ld-linux-x86-64.so.2"
            python.needed = ["libm.so.6", "libc.so.6"]
            tar.add("usr/bin/python3.11", .file(python.build()), mode: 0o755)
            tar.add("usr/lib/python3.11/os.py", .file([]))
            tar.add("etc/passwd", .file(Array("root:x:0:0:root:/root:/bin/sh\n".utf8)))
        }
        let venv = try FixtureLayer { tar in
            let site = "opt/venv/lib/python3.11/site-packages"
            for dir in ["opt/", "opt/venv/", "opt/venv/bin/", "opt/venv/lib/", "opt/venv/lib/python3.11/", site + "/"] {
                tar.add(dir, .directory)
            }
            tar.add("opt/venv/pyvenv.cfg", .file(Array("home = /usr/bin\ninclude-system-site-packages = false\n".utf8)))
            tar.add("opt/venv/bin/python", .symlink("/usr/bin/python3.11"))
            let padding = Array(repeating: "# " + String(repeating: "x", count: 60) + "\n", count: 30).joined()
            for index in 0..<packages {
                let name = String(format: "pkg%04d", index)
                let dir = "\(site)/\(name)"
                tar.add(dir + "/", .directory)
                tar.add(dir + "/sub/", .directory)
                tar.add(dir + "/__init__.py", .file(Array("from . import sub\n\(padding)".utf8)))
                let native = index == 2042 ? "from . import _native\n" : ""
                tar.add(dir + "/sub/__init__.py", .file(Array("\(native)import os\n\(padding)".utf8)))
                for module in ["core", "util", "api", "models", "views"] {
                    tar.add("\(dir)/\(module).py", .file(Array("import json\n\(padding)".utf8)))
                }
            }
            var native = ELFBuilder()
            native.needed = ["libGL.so.1", "libc.so.6"]
            tar.add("\(site)/pkg2042/sub/_native.so", .file(native.build()), mode: 0o755)
            // The entry imports 900 of the packages: with their sub packages 1,800 modules scanned.
            let imports = (2000..<2900).map { String(format: "import pkg%04d\n", $0) }.joined()
            tar.add("app/main.py", .file(Array(imports.utf8)))
        }
        let image = FixtureImage(
            names: ["bigvenv:1"],
            runtimeJSON:
                #"{"Cmd":["/opt/venv/bin/python","/app/main.py"],"Env":["PATH=/usr/bin"],"WorkingDir":"/app"}"#,
            layers: [base, venv])
        return ImageTarballs.write(ImageTarballs.dockerSave([image]))
    }

    @Test(
        "the scan reaches the module through __init__.py files six directories down, RSS bounded",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "needs /usr/bin/time"))
    func bigVenv() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bigvenv-\(getpid()).tar").path
        let bytes = try Self.tarball()
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try Subprocess.run("/usr/bin/time", ["-v", BuiltCLI.path, "--format", "jsonl", file])
        let line = try #require(run.stdout.split(separator: "\n").first, "\(run.stderr)")
        #expect(line.contains("module-will-not-load"), "\(line.prefix(2000))")
        #expect(line.contains("libGL.so.1: cannot open shared object file"))
        #expect(line.contains("sub/__init__.py imports pkg2042.sub._native"))
        let rss = run.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") }
        let kilobytes = try #require(
            rss.flatMap { Int($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) })
        print(
            "BigVenvTests: \(bytes.count / 1_000_000) MB tarball, \(Self.packages) packages, peak RSS \(kilobytes / 1024) MiB"
        )
        // The bound for this input: the kept contents (~13 MB of __init__.py) plus the tree.
        #expect(kilobytes < 200 * 1024, "peak RSS \(kilobytes / 1024) MiB")
    }
}
