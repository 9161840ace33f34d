import Foundation
import ImageAuditFS
import ImageAuditLoader
import ImageAuditTestSupport

/// A small image written to a temporary directory, run with the real loader under `chroot`,
/// and modelled from the same directory: the check that the models are the loaders.
///
/// The glibc base is this machine's own `libc.so.6` and `ld-linux-x86-64.so.2` (copied, not
/// committed); the musl base is Debian's musl `libc.so` as `/lib/ld-musl-x86_64.so.1`.
struct ChrootScenario: CustomStringConvertible {
    enum Base { case glibc, musl }

    let name: String
    var base = Base.glibc
    var program = "/prog"
    /// Image path → fixture name.
    var fixtures: [(String, String)] = []
    var symlinks: [(String, String)] = []
    var directories: [String] = []
    var texts: [(String, String)] = []
    var environment: [String: String] = [:]
    /// Runs ldconfig on the root (with the scenario's /etc/ld.so.conf) to write /etc/ld.so.cache.
    var ldconfig = false

    var description: String { name }

    /// Whether chroot experiments can run here: root, amd64 glibc host, musl installed for musl scenarios.
    static var available: Bool {
        getuid() == 0 && FileManager.default.fileExists(atPath: "/usr/sbin/chroot")
            && FileManager.default.fileExists(atPath: "/bin/mount")
            && FileManager.default.fileExists(atPath: "/lib/x86_64-linux-gnu/libc.so.6")
    }

    static var muslAvailable: Bool { FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-musl/libc.so") }

    /// What the real loader did and what the model says.
    struct Outcome {
        let run: Subprocess.Output
        let list: Subprocess.Output
        let report: LoadReport
    }

    func run() throws -> Outcome {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-chroot-\(UUID().uuidString)"
        ).path
        try write(root)
        // Model first, before /proc is mounted inside the directory.
        let legacy = HostLoader.glibcLegacy()
        let options = LoaderOptions(
            environment: environment, glibcHWCaps: HostLoader.glibcHWCaps(), glibcPlatform: legacy.platform,
            glibcLegacyHWCaps: legacy.hwcaps)
        let report = DynamicLoader.load(program: program, in: HostFileTree.build(root: root), options: options)
        // The loaders read /proc/self/exe for the program's $ORIGIN: a container always has /proc.
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        let mounted = try Subprocess.run("/bin/mount", ["-t", "proc", "proc", root + "/proc"]).status == 0
        guard mounted else { throw MountFailure() }
        defer {
            // Remove the directory only once /proc is gone from it.
            if !mounted || (try? Subprocess.run("/bin/umount", [root + "/proc"]).status) == 0 {
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        let interpreter = base == .glibc ? "/lib64/ld-linux-x86-64.so.2" : "/lib/ld-musl-x86_64.so.1"
        let run = try Subprocess.run("/usr/sbin/chroot", [root, program], environment: environment)
        let list = try Subprocess.run(
            "/usr/sbin/chroot", [root, interpreter, "--list", program], environment: environment)
        return Outcome(run: run, list: list, report: report)
    }

    struct MountFailure: Error {}

    private func write(_ root: String) throws {
        let manager = FileManager.default
        func place(_ path: String) throws -> String {
            let full = root + path
            try manager.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return full
        }
        switch base {
        case .glibc:
            try manager.copyItem(
                atPath: "/lib/x86_64-linux-gnu/libc.so.6", toPath: try place("/lib/x86_64-linux-gnu/libc.so.6"))
            try manager.copyItem(
                atPath: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
                toPath: try place("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
            try manager.createSymbolicLink(
                atPath: try place("/lib64/ld-linux-x86-64.so.2"),
                withDestinationPath: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        case .musl:
            try manager.copyItem(
                atPath: "/usr/lib/x86_64-linux-musl/libc.so", toPath: try place("/lib/ld-musl-x86_64.so.1"))
        }
        for directory in directories {
            try manager.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        for (path, fixture) in fixtures {
            try manager.copyItem(atPath: Fixtures.elfPath(fixture), toPath: try place(path))
        }
        for (path, target) in symlinks {
            try manager.createSymbolicLink(atPath: try place(path), withDestinationPath: target)
        }
        for (path, text) in texts { try Data(text.utf8).write(to: URL(fileURLWithPath: try place(path))) }
        if ldconfig, let tool = Subprocess.find(["/sbin/ldconfig", "/usr/sbin/ldconfig"]) {
            _ = try Subprocess.run(tool, ["-X", "-r", root])
        }
    }
}
