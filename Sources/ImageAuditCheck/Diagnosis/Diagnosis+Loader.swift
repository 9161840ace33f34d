import ImageAuditELF
import ImageAuditFS

extension Diagnosis {
    /// An ELF program whose interpreter is missing: usually a binary for the other C library.
    func libcMismatch(_ program: String, interpreter: String, facts: ELFFacts) -> (String, [String]) {
        let wants = LinkDiagnosis.libc(ofInterpreter: interpreter)
        let have = identity.libc
        let kind = wants.map { "linked against \($0.rawValue)" } ?? "a dynamic executable"
        let fixes = self.fixes
        switch (wants, have) {
        case (.glibc?, .musl?):
            return (
                "\(program) is \(kind) (interpreter \(interpreter)), but this image's C library is musl",
                fixes.glibcOnMusl(facts)
            )
        case (.glibc?, nil):
            return (
                "\(program) is \(kind) (interpreter \(interpreter)), but this image has no C library (scratch or a static base)",
                fixes.glibcOnNothing(facts)
            )
        case (.musl?, .glibc?):
            return (
                "\(program) is \(kind) (interpreter \(interpreter)), but this image's C library is glibc",
                fixes.muslOnGlibc(facts)
            )
        case (.musl?, nil):
            return (
                "\(program) is \(kind) (interpreter \(interpreter)), but this image has no C library (scratch or a static base)",
                fixes.staticBuild(facts) + ["or run it on alpine"]
            )
        default:
            return (
                "\(program) needs the program interpreter \(interpreter), which is not in the image"
                    + (have.map { " (the image has \($0.rawValue), but not at that path)" } ?? ""),
                [
                    "keep \(interpreter) in the image (a multi-stage COPY or a slimming step may have dropped it or its /lib64 symlink)",
                    "or build the binary on the same distribution and architecture as this image",
                ] + fixes.staticBuild(facts).map { "or " + $0 }
            )
        }
    }
}

/// Cause and fixes for what the dynamic loader reports.
struct LinkDiagnosis {
    var identity: ImageIdentity
    var fixes: Fixes
    /// Directories listed in /etc/ld.so.conf and /etc/ld.so.conf.d/*, with the file that lists them.
    var configuredDirectories: [String: String] = [:]
    /// Every symbol version the program's objects lack: the base a fix names must define them all.
    var missingVersions: [String] = []

    /// Which C library a `PT_INTERP` path belongs to.
    static func libc(ofInterpreter path: String) -> LibC? {
        let name = ImagePath.basename(path)
        if name.hasPrefix("ld-musl-") { return .musl }
        if name.hasPrefix("ld-linux") || name.hasPrefix("ld64.so") || name == "ld.so.1" { return .glibc }
        return nil
    }

    func explain(_ problem: LinkProblem, program: String, facts: ELFFacts, libc: LibC, elsewhere: [String])
        -> (FindingCode, String, String, [String])
    {
        let loader = libc == .musl ? "musl's loader" : "glibc's loader"
        switch problem {
        case .libraryNotFound(let name, let neededBy, _, _):
            let who = neededBy == program ? program : "\(neededBy) (loaded for \(program))"
            if let found = elsewhere.first {
                let directory = ImagePath.dirname(found)
                if libc == .glibc, let conf = configuredDirectories[directory] {
                    return (
                        .missingLibrary, program,
                        "\(who) needs \(name); \(conf) lists \(directory), which has it, but /etc/ld.so.cache has no"
                            + " entry for it: ldconfig was not run after it was added (glibc reads only the cache)",
                        [
                            "run ldconfig in the final stage after copying the library: RUN ldconfig",
                            "or set LD_LIBRARY_PATH=\(directory)",
                        ]
                    )
                }
                let runpath =
                    libc == .musl
                    ? "musl also searches it for the object's dependencies"
                    : "glibc uses a RUNPATH only for the object that carries it"
                let ways =
                    libc == .musl
                    ? "add \(directory) to /etc/ld-musl-*.path, or set LD_LIBRARY_PATH=\(directory)"
                    : "add \(directory) to a file in /etc/ld.so.conf.d and run ldconfig in the final stage, or set LD_LIBRARY_PATH=\(directory)"
                return (
                    .missingLibrary, program,
                    "\(who) needs \(name); the image has it at \(found), but \(loader) does not search \(directory) for it",
                    [
                        "give the object that needs it a RUNPATH to it (e.g. -Wl,-rpath,'$ORIGIN/../lib'; \(runpath)), or "
                            + ways
                    ]
                )
            }
            return (
                .missingLibrary, program,
                "\(who) needs \(name), which is in none of the directories \(loader) searches",
                fixes.library(name, facts: facts)
            )
        case .interpreterUnusable(let interpreter, let detail, _):
            return (
                .execFormatError, interpreter, detail,
                [
                    "keep the C library the binary was built for in the image, or build it for this image's platform and libc"
                ]
            )
        case .versionNotFound(let version, let library, _, let requiredBy, let provided, _):
            return versionNotFound(
                version, library: library, requiredBy: requiredBy, provided: provided, program: program, facts: facts)
        case .symbolNotFound(let symbol, let requiredBy, let atStartup, _):
            let glibcOnly = symbol.hasPrefix("__") || symbol.hasPrefix("gnu_") || symbol.contains("@GLIBC")
            if libc == .musl && (glibcOnly || LinkDiagnosis.libc(ofInterpreter: facts.interpreter ?? "") == .glibc) {
                return (
                    .missingSymbol, program,
                    "\(requiredBy) is a glibc binary running on musl through a compatibility loader, and musl has no \(symbol)",
                    fixes.staticBuild(facts) + [fixes.glibcBases(facts)]
                )
            }
            let when =
                atStartup ? "" : " (it is bound lazily, so the program starts and fails when it first calls \(symbol))"
            return (
                .missingSymbol, program,
                "no library loaded for \(requiredBy) defines \(symbol): the image has a different version of a library than it was built against\(when)",
                [
                    "install the library version \(ImagePath.basename(requiredBy)) was built against, or rebuild it against the image's libraries"
                ]
            )
        case .incompletelyRead(let object, let unread):
            let who = object == program ? program : "\(object) (loaded for \(program))"
            return (
                .elfIncompletelyRead, object,
                "the audit could not read \(unread) of \(who), so the libraries, versions or symbols it needs are not"
                    + " known; whether \(program) starts is not judged",
                ["read the tarball from a file rather than a pipe: a seekable tarball is read again for such files"]
            )
        }
    }

    private func versionNotFound(
        _ version: String, library: String, requiredBy: String, provided: [String], program: String, facts: ELFFacts
    ) -> (FindingCode, String, String, [String]) {
        let newest = provided.last.map { " (the newest it defines is \($0))" } ?? ""
        var fix: [String] = []
        var seen: Set<String> = []
        let all = missingVersions.contains(version) ? missingVersions.filter { seen.insert($0).inserted } : [version]
        if let base = KnownBases.oldestBase(providingAll: all, distribution: identity.distributionID) {
            fix.append(
                "run it on a base that provides \(all.joined(separator: ", ")): \(base.image)"
                    + (base.distroless.map { " or \($0)" } ?? "") + " is the oldest such")
        }
        if version.hasPrefix("GLIBC_") {
            let have = identity.libcVersion.map { "glibc \($0)" } ?? "this image's glibc"
            fix.append(
                "or build it on the runtime's release, so it needs at most \(have)"
                    + (facts.go != nil ? " (e.g. a golang:*-bullseye build stage for a bullseye runtime)" : ""))
            fix += fixes.staticBuild(facts).map { "or " + $0 }
            return (
                .missingSymbolVersion, program,
                "\(requiredBy) was built against a newer glibc: it needs \(version), and \(have)\(newest) is older", fix
            )
        }
        if version.hasPrefix("GLIBCXX_") || version.hasPrefix("CXXABI_") {
            fix.append("or link libstdc++ statically: -static-libstdc++ -static-libgcc")
            return (
                .missingSymbolVersion, program,
                "\(requiredBy) was built with a newer GCC: it needs \(version) from \(library), and the image's libstdc++\(newest) is older",
                fix
            )
        }
        fix.append("install the \(library) version \(ImagePath.basename(requiredBy)) was built against")
        return (
            .missingSymbolVersion, program,
            "\(requiredBy) needs \(version) from \(library), which the image's \(library)\(newest) lacks", fix
        )
    }
}
