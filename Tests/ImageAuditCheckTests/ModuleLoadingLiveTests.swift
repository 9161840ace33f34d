import Foundation
import ImageAuditCheck
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// The differential test: every extension module of real wheels (psycopg2-binary, pillow, numpy,
/// cryptography, lxml, opencv-python-headless; opencv-python apart; manylinux and musllinux builds from PyPI) laid out as pip does under Debian's python3.11, tried
/// with the real interpreter in a chroot (`importlib.util.module_from_spec`, one forked child per
/// module) and with ``ModuleLoading``: "loads / does not load" and the `ImportError` text agree.
/// The same with Debian bullseye's python3.9 (glibc 2.31) and cryptography wheels that need a
/// newer glibc (manylinux_2_34) or not (manylinux_2_28, manylinux2014).
@Suite(.serialized) struct ModuleLoadingLiveTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var name: String
        var platform: String
        /// Debian packages from the cache's `extra` directory installed in the tree (the fix).
        var extra: [String] = []
        /// Modules expected at least (the GUI build and the cryptography wheels have one or two).
        var minimum = 10
        var testDescription: String { name }
    }

    static let scenarios = [
        Scenario(
            name: "manylinux wheels on python3.11-minimal (no libstdc++6, libgcc-s1)", platform: "manylinux2014_x86_64"),
        Scenario(
            name: "manylinux wheels with libstdc++6 and libgcc-s1", platform: "manylinux2014_x86_64",
            extra: ["libstdc++6", "libgcc-s1"]),
        Scenario(name: "musllinux wheels under a glibc python3.11", platform: "musllinux_1_2_x86_64"),
        // opencv-python (not -headless) needs libGL.so.1 and the X libraries from the system.
        Scenario(name: "opencv-python (GUI) on python3.11-minimal", platform: "opencv-gui", minimum: 1),
        Scenario(
            name: "opencv-python (GUI) with libstdc++6 and libgcc-s1", platform: "opencv-gui",
            extra: ["libstdc++6", "libgcc-s1"], minimum: 1),
    ]

    /// bullseye's glibc is 2.31: the manylinux_2_34 build's `_rust` needs GLIBC_2.33 and 2.34.
    static let bullseyeScenarios = [
        Scenario(
            name: "cryptography manylinux_2_34 on bullseye's python3.9-minimal (no libgcc-s1)",
            platform: "manylinux_2_34_x86_64", minimum: 1),
        Scenario(
            name: "cryptography manylinux_2_34 on bullseye's python3.9 with libgcc-s1 (glibc 2.31)",
            platform: "manylinux_2_34_x86_64", extra: ["libgcc-s1"], minimum: 1),
        Scenario(
            name: "cryptography manylinux_2_28 on bullseye's python3.9 with libgcc-s1 (the fix)",
            platform: "manylinux_2_28_x86_64", extra: ["libgcc-s1"], minimum: 1),
        Scenario(
            name: "cryptography manylinux2014 on bullseye's python3.9 with libgcc-s1 (the fix)",
            platform: "manylinux2014_x86_64", extra: ["libgcc-s1"], minimum: 1),
    ]

    static let bullseyeRoot: String? = {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../scripts/python-chroot-bullseye.sh"
        ).standardized.path
        guard getuid() == 0, let out = try? Subprocess.run("/bin/bash", [script]), out.status == 0 else { return nil }
        return out.stdout.split(separator: "\n").last.map(String.init)
    }()

    static let probe = """
        import importlib.util, importlib.machinery as m, os, sys
        site = "/usr/lib/python3/dist-packages"
        suffixes = m.EXTENSION_SUFFIXES
        mods = []
        for d, subdirs, files in os.walk(site):
            subdirs[:] = sorted(s for s in subdirs if s.isidentifier())
            for f in sorted(files):
                p = f.split(".")
                tagged = len(p) == 3 and p[2] == "so" and p[1].startswith("cpython-") and p[0].isidentifier()
                if tagged or any(f.endswith(s) and f[: -len(s)].isidentifier() for s in suffixes):
                    mods.append(os.path.join(d, f))
        words = ("cannot open shared object file", "undefined symbol", "version `", "wrong ELF class",
                 "invalid ELF header", "Error loading shared library", "Error relocating", "file too short")
        for path in mods:
            name = os.path.relpath(path, site).split(".")[0].replace("/", ".")
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                try:
                    # The extension loader dlopens whatever the tag: what import would do with the file.
                    loader = m.ExtensionFileLoader(name, path)
                    importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path, loader=loader))
                    out = "loads"
                except ImportError as e:
                    out = ("fails\\t" + str(e)) if any(x in str(e) for x in words) else "loads"
                except BaseException:
                    out = "loads"
                os.write(w, out.encode()); os._exit(0)
            os.close(w)
            data = b""
            while True:
                chunk = os.read(r, 65536)
                if not chunk: break
                data += chunk
            os.close(r); os.waitpid(pid, 0)
            print(path + "\\t" + (data.decode() or "crashes"))
        """

    /// The GLIBC_ versions `object` needs from libc.so.6 (`DT_VERNEED` order) that the tree's
    /// libc.so.6 does not define, as readelf lists them.
    static func missingGlibcVersions(of object: String, root: String) throws -> [String] {
        func names(_ path: String, section: String, file: String?) throws -> [String] {
            let out = try Subprocess.run("/usr/bin/readelf", ["-V", "--wide", path])
            var inside = false
            var inFile = file == nil
            var names: [String] = []
            for line in out.stdout.split(separator: "\n") {
                if line.hasPrefix("Version ") { inside = line.contains(section) }
                guard inside else { continue }
                if let file, line.contains(" File: ") {
                    inFile = line.hasSuffix("File: \(file)") || line.contains("File: \(file) ")
                }
                if inFile, let range = line.range(of: "Name: ") {
                    names.append(String(line[range.upperBound...].split(separator: " ").first ?? ""))
                }
            }
            return names
        }
        let defined = Set(try names(root + "/lib/x86_64-linux-gnu/libc.so.6", section: ".gnu.version_d", file: nil))
        return try names(object, section: ".gnu.version_r", file: "libc.so.6").filter {
            $0.hasPrefix("GLIBC_") && !defined.contains($0)
        }
    }

    @Test(
        "loads / does not load equals the real python3.11, module by module",
        .enabled(
            if: PythonSysPathLiveTests.root != nil, "needs root, deb.debian.org and PyPI (scripts/python-chroot.sh)"),
        arguments: scenarios)
    func agrees(scenario: Scenario) throws {
        try compare(scenario, base: try #require(PythonSysPathLiveTests.root), python: "/usr/bin/python3.11")
    }

    @Test(
        "loads / does not load equals the real python3.9 of bullseye (glibc 2.31), module by module",
        .enabled(
            if: Self.bullseyeRoot != nil,
            "needs root, deb.debian.org and PyPI (scripts/python-chroot-bullseye.sh)"),
        arguments: bullseyeScenarios)
    func agreesOnBullseye(scenario: Scenario) throws {
        try compare(scenario, base: try #require(Self.bullseyeRoot), python: "/usr/bin/python3.9")
    }

    func compare(_ scenario: Scenario, base: String, python: String) throws {
        let cache = (base as NSString).deletingLastPathComponent
        let dir = NSTemporaryDirectory() + "pymodload-\(getpid())-\(scenario.platform)-\(scenario.extra.count)"
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", dir]) }
        let site = "\(dir)/usr/lib/python3/dist-packages"
        var setup = [
            "cp -a \(base) \(dir)", "mkdir -p \(site)",
            "for w in \(cache)/wheels/\(scenario.platform)/*.whl; do python3 -m zipfile -e \"$w\" \(site); done",
        ]
        setup += scenario.extra.map { "dpkg-deb -x \(cache)/extra/\($0)_*.deb \(dir)" }
        let made = try Subprocess.run("/bin/sh", ["-ec", setup.joined(separator: " && ")])
        try #require(made.status == 0, "\(made.stderr)")

        let run = try Subprocess.run(
            "/usr/bin/env", ["-i", "/usr/sbin/chroot", dir, python, "-c", Self.probe])
        try #require(run.status == 0, "\(run.stderr)")
        let real = run.stdout.split(separator: "\n").map(String.init)
        try #require(real.count >= scenario.minimum, "too few modules found: \(run.stdout)")

        let tree = HostFileTree.build(root: dir, requirements: Auditor.requirements)
        let path = try PythonSysPath.compute(in: tree, interpreter: python, home: nil).get()
        let modules = ModuleImports.allExtensionModules(sysPath: path, tree: tree, anyTag: true).filter {
            $0.hasPrefix("/usr/lib/python3/dist-packages/")
        }
        let loading = ModuleLoading(
            tree: tree, interpreter: python, environment: [:], workingDirectory: "/", credentials: nil,
            muslVersion: nil)
        let failures = modules.map { ($0, loading.check($0)) }
        let model = failures.map { module, failure in
            module + "\t" + (failure.map { "fails\t" + $0.message } ?? "loads")
        }
        // dlerror names one missing glibc version; the fix needs them all: readelf's list.
        for case (_, let failure?) in failures {
            guard case .versionNotFound(let version) = failure.kind, version.hasPrefix("GLIBC_") else { continue }
            let glibc = failure.missingVersions.filter { $0.hasPrefix("GLIBC_") }
            print("\(failure.neededBy) lacks \(glibc)")
            #expect(try glibc == Self.missingGlibcVersions(of: dir + failure.neededBy, root: dir))
        }
        // os.walk lists a directory's files before its subdirectories: compare sorted.
        #expect(model.sorted() == real.sorted())
        let failing = real.filter { $0.contains("\tfails\t") }
        let reasons = Set(failing.compactMap { $0.split(separator: "\t").last.map(String.init) }).sorted()
        print("\(scenario.name): \(real.count) modules, \(failing.count) do not load \(reasons)")
    }
}
