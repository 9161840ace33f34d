import ImageAuditELF
import ImageAuditFS

/// From a module that will not load to a finding: the interpreter's words, the chain
/// interpreter → import → module → library, and the fix for this image.
struct ModuleFindings {
    let fixes: Fixes
    let identity: ImageIdentity
    let interpreter: String

    /// - Parameter node: a Node addon (`require`), which Node reports as `Error: …`.
    func finding(
        for failure: ModuleLoadFailure, module: String, name: String?, via: [String], check: String, severity: Severity,
        node: Bool = false
    ) -> Finding {
        var chain =
            [
                node
                    ? "\(interpreter) is Node.js; process.dlopen loads addons with RTLD_LAZY"
                    : "\(interpreter) is a Python interpreter (sys.path from its prefix and site directories)"
            ] + via
        chain.append(
            "\(name ?? ImagePath.basename(module)) is the \(node ? "addon" : "extension module") \(module), loaded with dlopen"
        )
        if failure.neededBy != module { chain.append("\(failure.neededBy) is loaded with it") }
        chain += failure.searched
        let what = node ? "require(\"\(module)\")" : name.map { "import \($0)" } ?? "importing \(module)"
        let cause: String
        var fix: [String] = []
        switch failure.kind {
        case .libraryNotFound(let library) where library.hasPrefix("libc.musl-"):
            cause = "\(module) is built for musl (a musllinux wheel), and this Python uses glibc"
            fix = [
                "install the manylinux wheel instead: pip install --force-reinstall --only-binary=:all: on this"
                    + " image (or its glibc build stage); a musllinux wheel was copied from an Alpine stage",
                "or run it on the base it was built for (musl): an Alpine-based python image",
            ]
        case .libraryNotFound(let library):
            cause = "\(module) needs \(library), which is in none of the directories the loader searches"
            fix = fixes.library(library, facts: ELFFacts(machine: 62, is64Bit: true))
            if module.contains("/cv2/") {
                fix.append(
                    "or use the headless wheel, which needs no GUI libraries: pip install opencv-python-headless")
            }
            if identity.libc == .musl,
                library == "libc.so.6" || library.hasSuffix(".so.6") || library.hasPrefix("ld-linux")
            {
                fix.insert(
                    "this is a glibc (manylinux) build on a musl Python: install the musllinux wheel (pip install on"
                        + " this image), or use a glibc base (python:3.X-slim)", at: 0)
            }
        case .versionNotFound(let version):
            cause = "\(failure.neededBy) needs \(version), newer than what this image provides"
            fix = [
                "use a wheel built for this image's C library (an older release, or the manylinux tag this glibc"
                    + " supports: \(identity.libcVersion.map { "glibc \($0)" } ?? "see inspect")), or a newer base image"
            ]
            // The base must define every version the module lacks, not only the one dlerror names.
            let all = failure.missingVersions.contains(version) ? failure.missingVersions : [version]
            if let base = KnownBases.oldestBase(providingAll: all, distribution: identity.distributionID) {
                let codename = base.image.split(separator: ":").last.map { $0.replacing("-slim", with: "") } ?? ""
                let named = base.distribution == "debian" ? ImagePath.basename(interpreter) : ""
                let python = PythonPathBuilder.version(inName: named).map {
                    " (the official Python image on it: python:\($0)-slim-\(codename))"
                }
                fix.append("or a base that defines \(all.joined(separator: ", ")): \(base.image)" + (python ?? ""))
            }
        case .symbolNotFound(let symbol):
            cause = "\(failure.neededBy) uses \(symbol), which no loaded object defines"
            fix =
                failure.libc == .musl
                ? [
                    "this is a glibc (manylinux) build on a musl Python: install the musllinux wheel, or use a glibc base"
                ]
                : ["install a build of the module that matches this interpreter and its libraries"]
        case .relrUnsupported(let object, let musl):
            cause = "\(object) has DT_RELR relocations, which musl \(musl) does not apply (musl 1.2.4 and later do)"
            fix = ["use a base with musl 1.2.4 or later (Alpine 3.18+), or a wheel built without packed relocations"]
        case .other:
            cause = "\(module) cannot be loaded by this interpreter's loader"
        }
        return Finding(
            code: .moduleWillNotLoad, severity: severity, check: check, path: module,
            message: failure.kind.isRelr ? failure.message : (node ? "Error: " : "ImportError: ") + failure.message,
            cause: "\(what) fails: " + cause, chain: chain, fix: fix)
    }
}

extension ModuleFindings {
    /// Only a file tagged for another interpreter is where the module would be: the import
    /// system never tries it and raises `ModuleNotFoundError`.
    func notImportable(_ module: PythonModule, suffixes: [String], via: [String], severity: Severity) -> Finding {
        let tag = PythonSysPath.foreignTag(of: ImagePath.basename(module.file)) ?? "another interpreter"
        let musl = tag.hasSuffix("-musl")
        var chain = ["\(interpreter) is a Python interpreter (sys.path from its prefix and site directories)"] + via
        chain.append(
            "\(module.file) is tagged \(tag); this interpreter imports only "
                + suffixes.map { "*" + $0 }.joined(separator: ", "))
        let fix =
            musl
            ? [
                "install the manylinux wheel instead (pip install on this glibc image or its glibc build stage);"
                    + " the musllinux wheel was copied from an Alpine stage",
                "or run it on the base it was built for (musl): an Alpine-based python image",
            ]
            : ["install the wheel built for this interpreter (\(suffixes[0].dropFirst().dropLast(3)))"]
        return Finding(
            code: .moduleWillNotLoad, severity: severity, check: "entrypoint", path: module.file,
            message: "ModuleNotFoundError: No module named '\(module.name)'",
            cause: "import \(module.name) fails: the only file for it, \(module.file), is built for another interpreter"
                + (musl ? " (a musllinux wheel: musl, and this Python uses glibc)" : ""),
            chain: chain, fix: fix)
    }
}

extension ModuleLoadFailure.Kind {
    var isRelr: Bool { if case .relrUnsupported = self { true } else { false } }
}
