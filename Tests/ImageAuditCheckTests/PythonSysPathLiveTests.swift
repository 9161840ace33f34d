import Foundation
import ImageAuditCheck
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// `PythonSysPath` against Debian's real python3.11 in a chroot of the same tree: each scenario
/// lays files out in a copy of the tree, runs the interpreter there, and compares `sys.path`.
@Suite(.serialized) struct PythonSysPathLiveTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var setup: [String]
        var interpreter = "/usr/bin/python3.11"
        var environment: [String: String] = [:]
        var start: PythonSysPath.Start = .command
        var workingDirectory = "/"
        var testDescription: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "plain Debian python3.11", setup: []),
        Scenario(
            name: "dist-packages and the user site with HOME",
            setup: [
                "mkdir -p usr/local/lib/python3.11/dist-packages usr/lib/python3/dist-packages",
                "mkdir -p root/.local/lib/python3.11/site-packages",
            ],
            environment: ["HOME": "/root"]),
        Scenario(
            name: "PYTHONNOUSERSITE",
            setup: ["mkdir -p root/.local/lib/python3.11/site-packages"],
            environment: ["HOME": "/root", "PYTHONNOUSERSITE": "1"]),
        Scenario(
            name: "PYTHONUSERBASE, the user site missing under HOME",
            setup: ["mkdir -p opt/ub/lib/python3.11/site-packages"],
            environment: ["HOME": "/nonexistent", "PYTHONUSERBASE": "/opt/ub"]),
        Scenario(
            name: "PYTHONPATH: empty, relative, missing, duplicate entries",
            setup: ["mkdir -p tmp/extra"],
            environment: ["PYTHONPATH": "/tmp/extra::rel:/nonexistent:/usr/lib/python3.11:/tmp/extra/"]),
        Scenario(name: "PYTHONHOME", setup: [], environment: ["PYTHONHOME": "/usr"]),
        Scenario(
            name: "a symlink elsewhere to the interpreter",
            setup: [
                "mkdir -p usr/local/bin opt/x/lib/python3.11", "ln -s /usr/bin/python3.11 usr/local/bin/python3",
                "cp usr/lib/python3.11/os.py opt/x/lib/python3.11/", "mkdir -p opt/x/bin",
                "ln -s /usr/bin/python3.11 opt/x/bin/python3",
            ],
            interpreter: "/opt/x/bin/python3"),
        Scenario(
            name: "a venv without the system site",
            setup: [
                "mkdir -p venv/bin venv/lib/python3.11/site-packages usr/lib/python3/dist-packages",
                "mkdir -p root/.local/lib/python3.11/site-packages",
                "ln -s /usr/bin/python3.11 venv/bin/python",
                "printf 'home = /usr/bin\\ninclude-system-site-packages = false\\nversion = 3.11.2\\n' >venv/pyvenv.cfg",
            ],
            interpreter: "/venv/bin/python", environment: ["HOME": "/root"]),
        Scenario(
            name: "a venv with the system site",
            setup: [
                "mkdir -p venv/bin venv/lib/python3.11/site-packages usr/lib/python3/dist-packages",
                "mkdir -p root/.local/lib/python3.11/site-packages venv/lib/python3/dist-packages",
                "ln -s python3.11 venv/bin/python", "ln -s /usr/bin/python3.11 venv/bin/python3.11",
                "printf 'home = /usr/bin\\ninclude-system-site-packages = TRUE\\n' >venv/pyvenv.cfg",
            ],
            interpreter: "/venv/bin/python", environment: ["HOME": "/root"]),
        Scenario(
            name: "a copied venv interpreter, pyvenv.cfg one up, home elsewhere, no key",
            setup: [
                "mkdir -p venv/x venv/lib/python3.11/site-packages", "cp usr/bin/python3.11 venv/x/python",
                "printf 'home=/usr/local/bin\\n' >venv/pyvenv.cfg",
            ],
            interpreter: "/venv/x/python"),
        Scenario(
            name: ".pth files: comments, relative, absolute, missing, import lines, blanks, hidden",
            setup: [
                "mkdir -p usr/lib/python3/dist-packages/sub usr/lib/python3/dist-packages/.hid tmp/abs",
                "printf '# c\\nsub\\n/tmp/abs\\nmissing\\nimport os; os.environ.get(\"X\")\\n  sub\\n\\nsub/\\n'"
                    + " >usr/lib/python3/dist-packages/a.pth",
                "printf '/tmp/abs\\n../../../../tmp\\n' >usr/lib/python3/dist-packages/b.pth",
                "printf '.hid\\n' >usr/lib/python3/dist-packages/.z.pth",
            ]),
        Scenario(
            name: "a script through a symlink",
            setup: [
                "mkdir -p app tmp", "echo 'import sys; print(\"\\\\n\".join(sys.path))' >app/main.py",
                "ln -s /app/main.py tmp/link.py",
            ],
            start: .script("/tmp/link.py")),
        Scenario(
            name: "-m in the working directory",
            setup: ["mkdir -p app", "echo 'import sys; print(\"\\\\n\".join(sys.path))' >app/main.py"],
            start: .module("main"), workingDirectory: "/app"),
    ]

    static let root: String? = {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../scripts/python-chroot.sh"
        ).standardized.path
        guard getuid() == 0, let out = try? Subprocess.run("/bin/bash", [script]), out.status == 0 else { return nil }
        return out.stdout.split(separator: "\n").last.map(String.init)
    }()

    @Test(
        "sys.path equals the real python3.11's",
        .enabled(if: root != nil, "needs root and deb.debian.org (python3.11 debs)"),
        arguments: scenarios)
    func agrees(scenario: Scenario) throws {
        let base = try #require(Self.root)
        let dir = NSTemporaryDirectory() + "pysyspath-\(getpid())-\(abs(scenario.name.hashValue))"
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", dir]) }
        let busybox = try #require(Subprocess.find(["/bin/busybox", "/usr/bin/busybox"]), "needs busybox-static")
        let setup = (["cp -a \(base) \(dir)", "cd \(dir)", "cp \(busybox) busybox"] + scenario.setup).joined(
            separator: " && ")
        let made = try Subprocess.run("/bin/sh", ["-ec", setup])
        try #require(made.status == 0, "\(made.stderr)")

        var env = scenario.environment.map { "\($0.key)=\($0.value)" }.sorted()
        let args: [String]
        switch scenario.start {
        case .command: args = ["-c", "import sys; print(\"\\n\".join(sys.path))"]
        case .script(let path): args = [path]
        case .module(let name): args = ["-m", name]
        }
        let command =
            "cd \(scenario.workingDirectory) && exec \(scenario.interpreter) "
            + args.map { "'\($0)'" }.joined(separator: " ")
        env += ["/usr/sbin/chroot", dir, "/busybox", "sh", "-c", command]
        let run = try Subprocess.run("/usr/bin/env", ["-i"] + env)
        try #require(run.status == 0, "\(run.stderr)")
        let real = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            $0.isEmpty ? scenario.workingDirectory : String($0)
        }.map { $0.hasPrefix("//") ? String($0.dropFirst()) : $0 }

        let tree = HostFileTree.build(root: dir, requirements: Auditor.requirements)
        let model = try PythonSysPath.compute(
            in: tree, interpreter: scenario.interpreter, start: scenario.start, environment: scenario.environment,
            home: scenario.environment["HOME"], workingDirectory: scenario.workingDirectory
        ).get()
        #expect(model.directories == real, "\(scenario.name)")
        let importLines = scenario.setup.contains { $0.contains("import os") }
        #expect(model.notJudged.contains { $0.contains("runs code at start") } == importLines)
    }
}

/// `resolveModule` against `importlib.util.find_spec(name).origin` of the real python3.11 (no
/// module is executed but the parent packages, which are empty here), and the suffixes against
/// `importlib.machinery.EXTENSION_SUFFIXES`.
@Suite struct PythonModuleLiveTests {
    static let names = [
        "argparse", "json", "_ssl", "pkg", "pkg.sub", "pkg.ext", "mod", "abi", "plain", "ns", "ns.inner", "early",
        "nothere",
        "pkg.missing",
    ]

    @Test(
        "modules resolve where the real python3.11 finds them",
        .enabled(if: PythonSysPathLiveTests.root != nil, "needs root and the python3.11 debs"))
    func resolves() throws {
        let base = try #require(PythonSysPathLiveTests.root)
        let dir = NSTemporaryDirectory() + "pymodules-\(getpid())"
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", dir]) }
        let site = "usr/lib/python3/dist-packages"
        let local = "usr/local/lib/python3.11/dist-packages"
        let setup = [
            "cp -a \(base) \(dir)", "cd \(dir)", "mkdir -p \(site)/pkg \(site)/ns/inner \(local)/ns \(local)/early",
            ": >\(site)/pkg/__init__.py", ": >\(site)/pkg/sub.py", ": >\(site)/pkg/ext.cpython-311-x86_64-linux-gnu.so",
            ": >\(site)/pkg/ext.py", ": >\(site)/mod.py", ": >\(site)/mod.cpython-311-x86_64-linux-gnu.so",
            ": >\(site)/abi.abi3.so", ": >\(site)/abi.cpython-310-x86_64-linux-gnu.so", ": >\(site)/plain.so",
            ": >\(site)/early.py", ": >\(site)/nothere.cpython-311-x86_64-linux-musl.so",
        ].joined(separator: " && ")
        let made = try Subprocess.run("/bin/sh", ["-ec", setup])
        try #require(made.status == 0, "\(made.stderr)")
        let code = """
            import importlib.util, importlib.machinery as m
            print(" ".join(m.EXTENSION_SUFFIXES))
            for n in \(Self.names):
                try: s = importlib.util.find_spec(n)
                except Exception: s = None
                print(n, "-" if s is None else (s.origin if s.origin else "ns:" + list(s.submodule_search_locations)[0]))
            """
        let run = try Subprocess.run(
            "/usr/bin/env", ["-i", "/usr/sbin/chroot", dir, "/usr/bin/python3.11", "-c", code])
        try #require(run.status == 0, "\(run.stderr)")
        var lines = run.stdout.split(separator: "\n").map(String.init)
        let suffixes = lines.removeFirst()

        let tree = HostFileTree.build(root: dir, requirements: Auditor.requirements)
        let path = try PythonSysPath.compute(in: tree, interpreter: "/usr/bin/python3.11", home: nil).get()
        #expect(path.extensionSuffixes.joined(separator: " ") == suffixes)
        let model = Self.names.map { name -> String in
            guard let module = path.resolveModule(name, in: tree) else { return "\(name) -" }
            return "\(name) " + (module.kind == .namespace ? "ns:" + module.file : module.file)
        }
        #expect(model == lines)
    }
}
