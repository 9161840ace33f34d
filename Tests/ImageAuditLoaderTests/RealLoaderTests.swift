import Foundation
import ImageAuditLoader
import ImageAuditTestSupport
import Testing

/// The models against the real loaders: each scenario is written to a directory and started
/// under `chroot` with glibc 2.36's `ld.so` (this machine's) or Debian's musl 1.2.3, then
/// modelled from the same directory. The loaded files, the libraries not found, whether the
/// program starts and the exact first message must agree. Needs root (chroot); skipped otherwise.
@Suite(.enabled(if: ChrootScenario.available, "needs root, chroot and an amd64 glibc host"))
struct RealLoaderTests {
    static let glibc: [ChrootScenario] = [
        ChrootScenario(name: "default directories", fixtures: [("/prog", "glibc/hello")]),
        ChrootScenario(
            name: "RPATH of the program is inherited by its libraries",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-rpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ]),
        ChrootScenario(
            name: "RUNPATH is not inherited",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ]),
        ChrootScenario(
            name: "LD_LIBRARY_PATH reaches what RUNPATH does not",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/opt/leaf"]),
        ChrootScenario(
            name: "RPATH comes before LD_LIBRARY_PATH",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-rpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
                ("/env/libleaf.so", "glibc/libleaf.so"), ("/env/libdep.so", "glibc/libdep.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/env"]),
        ChrootScenario(
            name: "$ORIGIN, ${ORIGIN}, $LIB and $PLATFORM",
            program: "/app/prog",
            fixtures: [
                ("/app/prog", "glibc/tokens"), ("/x/lib/x86_64-linux-gnu/libdep.so", "glibc/libdep.so"),
                ("/lib/x86_64-linux-gnu/libleaf.so", "glibc/libleaf.so"),
            ]),
        ChrootScenario(
            name: "$PLATFORM and ${ORIGIN} directories",
            program: "/app/prog",
            fixtures: [
                ("/app/prog", "glibc/tokens"), ("/y/x86_64/libdep.so", "glibc/libdep.so"),
                ("/app/a/libleaf.so", "glibc/libleaf.so"),
            ]),
        ChrootScenario(
            name: "NODEFLIB: no default directories, no cache entries in them",
            fixtures: [
                ("/prog", "glibc/nodeflib"), ("/lib/x86_64-linux-gnu/libdep.so", "glibc/libdep.so"),
                ("/lib/x86_64-linux-gnu/libleaf.so", "glibc/libleaf.so"),
            ],
            ldconfig: true),
        ChrootScenario(
            name: "NODEFLIB: cache entries elsewhere still count",
            fixtures: [
                ("/prog", "glibc/nodeflib"), ("/opt/dep/libdep.so", "glibc/libdep.so"),
                ("/opt/dep/libleaf.so", "glibc/libleaf.so"),
            ],
            texts: [("/etc/ld.so.conf", "/opt/dep\n")], environment: ["LD_LIBRARY_PATH": "/lib/x86_64-linux-gnu"],
            ldconfig: true),
        ChrootScenario(
            name: "a 32-bit candidate is skipped",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/m32/libleaf.so", "glibc/libleaf-m32.so"), ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/m32:/opt/leaf"]),
        ChrootScenario(
            name: "only a 32-bit candidate: wrong ELF class",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/m32/libleaf.so", "glibc/libleaf-m32.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/m32"]),
        ChrootScenario(
            name: "a version the library does not define",
            fixtures: [("/prog", "glibc/usever"), ("/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-old.so")]),
        ChrootScenario(
            name: "a lazily bound missing function does not stop the start",
            fixtures: [("/prog", "glibc/uselazy"), ("/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-nobar.so")]),
        ChrootScenario(
            name: "BIND_NOW: a missing function stops the start",
            fixtures: [("/prog", "glibc/uselazy-now"), ("/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-nobar.so")]),
        ChrootScenario(
            name: "a missing data symbol stops the start without BIND_NOW",
            fixtures: [("/prog", "glibc/usedata"), ("/lib/x86_64-linux-gnu/libver.so.1", "glibc/libver-nobar.so")]),
        ChrootScenario(
            name: "a directory where the library should be",
            fixtures: [("/prog", "glibc/hello")], directories: ["/d/libc.so.6"], environment: ["LD_LIBRARY_PATH": "/d"]),
        ChrootScenario(
            name: "a text file where the library should be",
            fixtures: [("/prog", "glibc/hello")],
            texts: [("/d/libc.so.6", String(repeating: "/* GNU ld script */\n", count: 8))],
            environment: ["LD_LIBRARY_PATH": "/d"]),
        ChrootScenario(
            name: "a PIE where the library should be",
            fixtures: [("/prog", "glibc/usever"), ("/d/libver.so.1", "glibc/hello")],
            environment: ["LD_LIBRARY_PATH": "/d"]),
        ChrootScenario(
            name: "an executable where the library should be",
            fixtures: [("/prog", "glibc/usever"), ("/d/libver.so.1", "glibc/nostdlib-static")],
            environment: ["LD_LIBRARY_PATH": "/d"]),
        ChrootScenario(
            name: "$ORIGIN of a library is where its symlink is",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/real/libdep.so", "glibc/libdep-rpath.so"),
                ("/app/lib/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            symlinks: [("/app/lib/libdep.so", "/real/libdep.so")]),
        ChrootScenario(
            name: "$ORIGIN of the program is where it really is",
            program: "/bin/prog",
            fixtures: [
                ("/app/bin/usedep", "glibc/usedep-rpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            symlinks: [("/bin/prog", "/app/bin/usedep")]),
        ChrootScenario(
            name: "glibc-hwcaps copies through the cache",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/opt/a/libleaf.so", "glibc/libleaf.so"),
                ("/opt/a/glibc-hwcaps/x86-64-v2/libleaf.so", "glibc/libleaf.so"),
            ],
            texts: [("/etc/ld.so.conf", "/opt/a\n")], ldconfig: true),
        ChrootScenario(
            name: "glibc-hwcaps subdirectories of a search directory",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/app/lib/glibc-hwcaps/x86-64-v2/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/opt/leaf"]),
        ChrootScenario(
            name: "legacy x86_64 subdirectory (glibc before 2.37)",
            program: "/app/bin/prog",
            fixtures: [
                ("/app/bin/prog", "glibc/usedep-runpath"), ("/app/lib/libdep.so", "glibc/libdep.so"),
                ("/app/lib/x86_64/libdep.so", "glibc/libdep.so"),
                ("/opt/leaf/libleaf.so", "glibc/libleaf.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/opt/leaf"]),
    ]

    static let musl: [ChrootScenario] = [
        ChrootScenario(name: "musl: libc.so is musl itself", base: .musl, fixtures: [("/prog", "musl/hello")]),
        ChrootScenario(
            name: "musl: RPATH $ORIGIN/lib", base: .musl, program: "/app/prog",
            fixtures: [("/app/prog", "musl/uselazy"), ("/app/lib/libver.so.1", "musl/libver-new.so")]),
        ChrootScenario(
            name: "musl binds every symbol at start", base: .musl, program: "/app/prog",
            fixtures: [("/app/prog", "musl/uselazy"), ("/app/lib/libver.so.1", "musl/libver-old.so")]),
        ChrootScenario(
            name: "musl: the default path", base: .musl,
            fixtures: [("/prog", "musl/uselazy"), ("/usr/lib/libver.so.1", "musl/libver-new.so")]),
        ChrootScenario(
            name: "musl: the path file replaces the default", base: .musl,
            fixtures: [("/prog", "musl/uselazy"), ("/usr/lib/libver.so.1", "musl/libver-new.so")],
            texts: [("/etc/ld-musl-x86_64.path", "/opt/m\n")]),
        ChrootScenario(
            name: "musl: the path file's directories", base: .musl,
            fixtures: [("/prog", "musl/uselazy"), ("/opt/m/libver.so.1", "musl/libver-new.so")],
            texts: [("/etc/ld-musl-x86_64.path", "/opt/x:/opt/m\n")]),
        ChrootScenario(
            name: "musl: LD_LIBRARY_PATH comes first", base: .musl, program: "/app/prog",
            fixtures: [
                ("/app/prog", "musl/uselazy"), ("/app/lib/libver.so.1", "musl/libver-new.so"),
                ("/env/libver.so.1", "musl/libver-old.so"),
            ],
            environment: ["LD_LIBRARY_PATH": "/env"]),
        ChrootScenario(
            name: "musl: a 32-bit candidate stops the load", base: .musl, program: "/app/prog",
            fixtures: [
                ("/app/prog", "musl/uselazy"), ("/app/lib/libver.so.1", "glibc/libleaf-m32.so"),
                ("/usr/lib/libver.so.1", "musl/libver-new.so"),
            ]),
        ChrootScenario(
            name: "a glibc program run by musl through an ld-linux symlink", base: .musl,
            fixtures: [("/prog", "glibc/hello")],
            symlinks: [("/lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1")]),
    ]

    @Test("glibc 2.36 agrees with the glibc model", arguments: glibc)
    func glibcScenario(_ scenario: ChrootScenario) throws {
        try compare(scenario, try scenario.run())
    }

    @Test(
        "musl agrees with the musl model", .enabled(if: ChrootScenario.muslAvailable, "needs Debian's musl package"),
        arguments: musl)
    func muslScenario(_ scenario: ChrootScenario) throws {
        try compare(scenario, try scenario.run())
    }

    private func compare(_ scenario: ChrootScenario, _ outcome: ChrootScenario.Outcome) throws {
        let report = outcome.report
        let started = outcome.run.status == 0
        #expect(
            report.wouldStart == started,
            "\(scenario): real status \(outcome.run.status) \(outcome.run.stderr); model \(report.problems)")
        // Every line the loader printed is a fatal message of the model, in order (glibc prints one).
        let printed = outcome.run.stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        let fatal = report.problems.filter { $0.severity == .fatal }.map(\.message)
        if scenario.base == .glibc {
            #expect(printed.first == fatal.first, "\(scenario)")
        } else {
            #expect(printed == fatal, "\(scenario)")
        }
        // The files --list shows are the files the model loads; "not found" names match.
        let listed = HostLoader.parseList(outcome.list.stdout)
        let realPaths = Set(listed.values.compactMap { $0 }.filter { $0 != "ld-linux-x86-64.so.2" })
        // glibc lists "name => not found"; musl says so on stderr only.
        let muslMissing = printed.compactMap { line -> String? in
            guard line.hasPrefix("Error loading shared library "), line.contains(": No such file or directory") else {
                return nil
            }
            return line.dropFirst(29).split(separator: ":").first.map(String.init)
        }
        let realMissing = Set(listed.filter { $0.value == nil }.map(\.key) + muslMissing)
        let modelPaths = Set(report.objects.dropFirst().map(\.path))
        let modelMissing = Set(report.dependencies.filter { $0.outcome == .notFound }.map(\.name))
        if outcome.list.status == 0 || !realPaths.isEmpty {
            #expect(modelPaths == realPaths, "\(scenario): --list \(outcome.list.stdout)")
            #expect(modelMissing == realMissing, "\(scenario)")
        }
    }
}
