import ImageAuditELF
import ImageAuditFS

/// glibc's `ld.so` on the image: `_dl_map_object_deps` breadth-first over `DT_NEEDED`, each name
/// looked up by `_dl_map_object` (elf/dl-load.c, glibc 2.36).
struct GlibcLoader: BreadthFirstLoading {
    let files: ImageFiles
    let options: LoaderOptions
    let platform: ELFPlatform
    let installation: GlibcInstallation
    let cache: LDSOCache?
    /// What messages start with (`argv[0]`).
    let argv0: String
    /// Subdirectories tried in each directory, best first, "" (the directory itself) last.
    let variants: [String]
    var state = LoadState()
    var libraryPath: [String] = []

    init(
        files: ImageFiles, options: LoaderOptions, platform: ELFPlatform, installation: GlibcInstallation,
        cache: LDSOCache?, argv0: String
    ) {
        self.files = files
        self.options = options
        self.platform = platform
        self.installation = installation
        self.cache = cache
        self.argv0 = argv0
        variants = Self.variants(installation: installation, platform: platform, options: options)
    }

    /// `glibc-hwcaps/NAME` for each supported name (2.33+), then the legacy power set of `tls`,
    /// the always-on hwcap names and `AT_PLATFORM` (before 2.37), then the directory itself.
    /// On glibc 2.36 x86-64 this gives what `LD_DEBUG=libs` shows: `glibc-hwcaps/x86-64-v3`,
    /// …, `tls/x86_64/x86_64`, `tls/x86_64`, `tls`, `x86_64/x86_64`, `x86_64`, "".
    static func variants(installation: GlibcInstallation, platform: ELFPlatform, options: LoaderOptions) -> [String] {
        var result: [String] = []
        if installation.searchesGlibcHWCaps {
            result += options.glibcHWCaps.filter(platform.glibcHWCapsNames.contains).map { "glibc-hwcaps/\($0)" }
        }
        if installation.searchesLegacyHWCaps {
            let atPlatform = options.glibcPlatform ?? platform.atPlatform
            let components =
                ["tls"] + (options.glibcLegacyHWCaps ?? platform.legacyHWCapNames) + [atPlatform].compactMap { $0 }
            for mask in stride(from: (1 << components.count) - 1, to: 0, by: -1) {
                let parts = components.indices.filter { mask & (1 << (components.count - 1 - $0)) != 0 }.map {
                    components[$0]
                }
                let subdirectory = parts.joined(separator: "/")
                if !result.contains(subdirectory) { result.append(subdirectory) }
            }
        }
        return result + [""]
    }

    // MARK: - Loading

    /// Loads the program (object 0), the interpreter (object 1) and everything they need.
    mutating func load(program: ProgramFile, interpreter: ProgramFile) {
        _ = state.append(program.object, file: program.file, node: program.node)
        _ = state.append(interpreter.object, file: interpreter.file, node: interpreter.node)
        if let list = options.environment["LD_LIBRARY_PATH"], !list.isEmpty {
            libraryPath = SearchPath.glibc(list, separators: [":", ";"], tokens: tokens(for: 0))
        }
        loadNeededThenOpened()
    }

    /// The dynamic string token values for an object's search paths.
    func tokens(for index: Int) -> SearchPath.Tokens {
        // The program's origin comes from /proc/self/exe (symlinks resolved); a library's from the
        // path it was opened by (symlinks kept).
        let path = index == 0 ? state.objects[0].resolvedPath : files.absolute(state.objects[index].path)
        return SearchPath.Tokens(
            origin: ImagePath.dirname(path), platform: options.glibcPlatform ?? platform.atPlatform,
            lib: installation.libToken)
    }

    /// A loaded object answering to `name`: by a name it was asked for, its path, or its SONAME.
    func alreadyLoaded(_ name: String) -> (Int, String)? {
        for (index, object) in state.objects.enumerated() {
            if object.names.contains(name) || (index > 0 && object.path == name) {
                return (index, "already loaded as \(name)")
            }
            if object.soname == name { return (index, "SONAME of a loaded object") }
        }
        return nil
    }

    /// `openaux` (elf/dl-deps.c): a name with a `/` has its dynamic string tokens expanded
    /// before anything else, so the expanded path is the name glibc compares, lists and reports.
    mutating func resolve(_ needed: String, requester: Int) {
        let expanded = needed.contains("/") ? SearchPath.expandGlibc(needed, tokens: tokens(for: requester)) : needed
        let name = expanded ?? needed
        if let (index, reason) = alreadyLoaded(name) {
            state.record(requester, name, .reused(index, because: reason), searched: [])
            return
        }
        var progress = SearchProgress()
        if name.contains("/") {
            if expanded != nil {
                let candidate = attempt(name, rule: .path, into: &progress)
                progress.steps.append(SearchStep(rule: .path, location: name, candidates: [candidate]))
            }
        } else {
            search(name, requester: requester, into: &progress)
        }
        finish(name, requester: requester, progress)
    }
}
