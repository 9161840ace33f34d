import Foundation
import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// The glibc model against the real glibc loader on this machine, with the host root as the
/// image root: for 300 programs under /usr/bin, /usr/sbin, /usr/libexec and /usr/lib and 40
/// shared libraries, the libraries the model loads (name → path, or not found) must be exactly
/// what `ld.so --list` prints. docs/loader-notes.md ("Differential test") says what is compared.
@Suite(
    .enabled(
        if: HostDifferential.available,
        "needs an amd64 glibc host with /lib64/ld-linux-x86-64.so.2 and /etc/ld.so.cache"))
struct HostDifferentialTests {
    private static let legacy = HostLoader.glibcLegacy()

    @Test("every sampled program and library resolves like ld.so --list")
    func differential() throws {
        let walk = HostFileTree.Walk()
        let programs = HostDifferential.programs(walk)
        let libraries = HostDifferential.libraries(walk)
        // A fresh CI machine (Debian bookworm with the Swift toolchain, scripts/install-deps.sh
        // --test) has about 900 such programs under /usr and hundreds of libraries: a short
        // sample means the walk or the filter broke, not a small machine.
        #expect(programs.count == HostDifferential.programCount, "only \(programs.count) programs found")
        #expect(libraries.count == HostDifferential.libraryCount, "only \(libraries.count) libraries found")
        let subjects = programs + libraries
        let tree = HostFileTree.build(programs: subjects, walk: walk)
        var session = LoaderSession(
            tree: tree,
            options: LoaderOptions(
                glibcHWCaps: HostLoader.glibcHWCaps(), glibcPlatform: Self.legacy.platform,
                glibcLegacyHWCaps: Self.legacy.hwcaps, explicitLoader: HostLoader.glibc))
        var disagreements: [String] = []
        for subject in subjects {
            let real = try Subprocess.run(HostLoader.glibc, ["--list", subject], environment: ["LC_ALL": "C"])
            let report = session.load(program: subject)
            if let difference = HostDifferential.compare(report, real) {
                disagreements.append("\(subject): \(difference)")
            }
        }
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) of \(subjects.count) disagree:\n\(disagreements.joined(separator: "\n"))")
    }
}

enum HostDifferential {
    static let programCount = 300
    static let libraryCount = 40

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: HostLoader.glibc)
            && FileManager.default.fileExists(atPath: "/etc/ld.so.cache")
    }

    /// `count` elements spread evenly over `items` (all of them when there are fewer).
    static func spread(_ items: [String], count: Int) -> [String] {
        guard items.count > count else { return items }
        return (0..<count).map { items[$0 * items.count / count] }
    }

    /// Executable ELF files that name the host's glibc loader in `PT_INTERP`, sorted, spread.
    static func programs(_ walk: HostFileTree.Walk) -> [String] {
        let candidates = walk.executables(under: ["/usr/bin", "/usr/sbin", "/usr/libexec", "/usr/lib"])
            .filter { !$0.contains(".so") }.sorted()
        let programs = candidates.filter { path in
            // The interpreter is in the first bytes: no need for the tables.
            guard let file = HostELF.readPrefix(path) else { return false }
            return file.interpreter == HostLoader.glibc && file.header.machine == .x86_64
        }
        return spread(programs, count: programCount)
    }

    /// amd64 shared libraries (`ET_DYN`, no `PT_INTERP`) of the multiarch directory, sorted,
    /// spread; `ld.so --list` loads them as the main object.
    static func libraries(_ walk: HostFileTree.Walk) -> [String] {
        let candidates = walk.sharedObjects(under: ["/usr/lib/x86_64-linux-gnu"]).sorted()
        // Thin out before reading anything: every 8th file is plenty to choose 40 from.
        let libraries = candidates.enumerated().filter { $0.offset % 8 == 0 }.map(\.element).filter { path in
            guard let file = HostELF.readPrefix(path) else { return false }
            return file.linkage == .sharedObject && file.header.machine == .x86_64 && file.header.elfClass == .elf64
        }
        return spread(libraries, count: libraryCount)
    }

    /// Nil when the model and `ld.so --list` agree; else what differs.
    static func compare(_ report: LoadReport, _ real: Subprocess.Output) -> String? {
        if real.status != 0 {
            // ld.so stops at the first fatal problem and prints it: the model must meet the same one.
            let first = real.stderr.split(separator: "\n").first.map(String.init)
            let model = report.firstFatalProblem?.message.replacingOccurrences(of: "\(report.program): ", with: "")
            return first?.hasSuffix(model ?? "\u{0}") == true
                ? nil : "ld.so failed (\(real.stderr)); model: \(report.problems.map(\.message))"
        }
        // The one exception (docs/loader-notes.md, "Differential test"): `--list` shows ld.so
        // itself only when some object's DT_NEEDED names it (rtld.c takes its own link map out of
        // the list otherwise; with no DT_NEEDED at all it prints "statically linked"), though it
        // is always there, running.
        let interpreterNeeded = report.dependencies.contains { dependency in
            switch dependency.outcome {
            case .loaded(let index), .reused(let index, _): report.objects[index].isInterpreter
            case .notFound, .failed: false
            }
        }
        var expected: [String: String?] = [:]
        for object in report.objects.dropFirst() where !object.isInterpreter || interpreterNeeded {
            let name = object.names.first ?? object.path
            expected[name] = object.path
        }
        for dependency in report.dependencies where dependency.outcome == .notFound {
            expected[dependency.name] = .some(nil)
        }
        let listed = HostLoader.parseList(real.stdout)
        guard expected != listed else { return nil }
        let missing = listed.filter { expected[$0.key] != $0.value }.map { "\($0.key) => \($0.value ?? "not found")" }
        let extra = expected.filter { listed[$0.key] != $0.value }.map { "\($0.key) => \($0.value ?? "not found")" }
        return "ld.so only: \(missing.sorted()); model only: \(extra.sorted())"
    }
}
