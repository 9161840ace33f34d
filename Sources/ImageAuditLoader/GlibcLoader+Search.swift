import ImageAuditELF
import ImageAuditFS

extension GlibcLoader {
    /// The search order of `_dl_map_object` for a name without `/`.
    mutating func search(_ name: String, requester: Int, into progress: inout SearchProgress) {
        let requesterFile = state.files[requester]
        // 1. DT_RPATH of the requester and of every object that loaded it, up to the program, unless
        //    the requester has DT_RUNPATH. An object with both has no RPATH at all
        //    (elf/get-dynamic-info.h drops DT_RPATH when DT_RUNPATH is there), not even for others.
        if requesterFile.dynamic?.runpath == nil {
            for owner in state.loaderChain(from: requester) where state.files[owner].dynamic?.runpath == nil {
                guard let rpath = state.files[owner].dynamic?.rpath, !rpath.isEmpty else { continue }
                let directories = SearchPath.glibc(rpath, tokens: tokens(for: owner))
                searchList(directories, rule: .rpath(of: displayName(owner)), name: name, into: &progress)
                if progress.isDone { return }
            }
        }
        // 2. LD_LIBRARY_PATH.
        searchList(libraryPath, rule: .libraryPath, name: name, into: &progress)
        if progress.isDone { return }
        // 3. DT_RUNPATH of the requester only.
        if let runpath = requesterFile.dynamic?.runpath, !runpath.isEmpty {
            let directories = SearchPath.glibc(runpath, tokens: tokens(for: requester))
            searchList(directories, rule: .runpath(of: displayName(requester)), name: name, into: &progress)
            if progress.isDone { return }
        }
        // 4. /etc/ld.so.cache, without entries in default directories when the requester has NODEFLIB.
        let noDefaults = requesterFile.dynamic?.noDefaultLibraries == true
        searchCache(name, noDefaults: noDefaults, into: &progress)
        if progress.isDone { return }
        // 5. The default directories, unless NODEFLIB.
        if !noDefaults {
            searchList(installation.systemDirectories, rule: .defaultDirectory, name: name, into: &progress)
        }
    }

    /// How messages and rules name an object: `argv[0]` for the program, else its path.
    func displayName(_ index: Int) -> String { index == 0 ? argv0 : state.objects[index].path }

    /// `open_path` over one list: every directory, every subdirectory variant.
    mutating func searchList(
        _ directories: [String], rule: SearchRule, name: String, into progress: inout SearchProgress
    ) {
        for directory in directories {
            var candidates: [Candidate] = []
            for variant in variants {
                let base = variant.isEmpty ? directory : ImagePath.join(directory, variant)
                // Subdirectories are listed only when they exist: glibc skips missing ones quietly.
                if !variant.isEmpty && !files.isDirectory(base.isEmpty ? "." : base) { continue }
                candidates.append(attempt(ImagePath.join(base, name), rule: rule, into: &progress))
                if progress.isDone { break }
            }
            progress.steps.append(
                SearchStep(rule: rule, location: directory.isEmpty ? "." : directory, candidates: candidates))
            if progress.isDone { return }
            // Any errno but ENOENT and EACCES in an existing directory ends this list (open_path).
            let errno = progress.lastErrno.rawValue
            if errno != "ENOENT" && errno != "EACCES" && errno != "ENOTDIR"
                && files.isDirectory(directory.isEmpty ? "." : directory)
            {
                return
            }
        }
    }

    /// `_dl_load_cache_lookup`, then `open_verify` on the path it gives.
    mutating func searchCache(_ name: String, noDefaults: Bool, into progress: inout SearchProgress) {
        let location = "/etc/ld.so.cache"
        guard let cache else {
            progress.steps.append(
                SearchStep(rule: .cache, location: location, candidates: [], note: "no usable cache in the image"))
            return
        }
        guard let entry = cache.lookup(name, platform: platform, hwcaps: options.glibcHWCaps) else {
            progress.steps.append(
                SearchStep(rule: .cache, location: location, candidates: [], note: "no entry for \(name)"))
            return
        }
        if noDefaults && installation.systemDirectories.contains(where: { entry.path.hasPrefix($0 + "/") }) {
            let candidate = Candidate(path: entry.path, result: .skippedNoDefaultLibraries)
            progress.steps.append(SearchStep(rule: .cache, location: location, candidates: [candidate]))
            return
        }
        let candidate = attempt(entry.path, rule: .cache, into: &progress)
        progress.steps.append(SearchStep(rule: .cache, location: location, candidates: [candidate]))
    }

    /// Opens and verifies one candidate (`open_verify`), updating the progress.
    func attempt(_ path: String, rule: SearchRule, into progress: inout SearchProgress) -> Candidate {
        progress.attempt(path, rule: rule, files: files) { GlibcCandidate.check($0, platform: platform) }
    }

    /// Turns the search result into a loaded object, a reuse or a failure.
    mutating func finish(_ name: String, requester: Int, _ progress: SearchProgress) {
        let prefix = "\(argv0): error while loading shared libraries: "
        let detail = "needed by \(displayName(requester)); \(progress.summary)"
        if let fatal = progress.fatal {
            state.record(requester, name, .failed(path: fatal.path, reason: fatal.reason), searched: progress.steps)
            problem(.libraryUnusable, requester, name, prefix + "\(fatal.path): \(fatal.reason)", detail)
            return
        }
        guard let found = progress.found else {
            state.record(requester, name, .notFound, searched: progress.steps)
            if progress.foundOtherClass {
                let other = platform.elfClass == .elf64 ? "ELFCLASS32" : "ELFCLASS64"
                problem(.libraryWrongClass, requester, name, prefix + "\(name): wrong ELF class: \(other)", detail)
            } else {
                let message = "\(name): cannot open shared object file: \(progress.lastErrno.strerror)"
                problem(.libraryNotFound, requester, name, prefix + message, detail)
            }
            return
        }
        if let index = state.object(at: found.opened.node) {
            state.record(
                requester, name, .reused(index, because: "same file as \(state.objects[index].path)"),
                searched: progress.steps)
            return
        }
        if let reason = GlibcCandidate.mappingProblem(found.file) {
            state.record(requester, name, .failed(path: found.path, reason: reason), searched: progress.steps)
            problem(.libraryUnusable, requester, name, prefix + "\(name): \(reason)", detail)
            return
        }
        let object = LoadedObject(
            path: found.path, resolvedPath: found.opened.resolvedPath, names: [], soname: found.file.soname,
            loadedBy: requester, rule: found.rule, platform: ELFPlatform(found.file), isInterpreter: false)
        let index = state.append(object, file: found.file, node: found.opened.node)
        state.record(requester, name, .loaded(index), searched: progress.steps)
    }

    mutating func problem(
        _ kind: LoaderProblem.Kind, _ requester: Int, _ subject: String, _ message: String, _ detail: String
    ) {
        state.problems.append(
            LoaderProblem(
                kind: kind, severity: .fatal, object: displayName(requester), subject: subject, message: message,
                detail: detail))
    }
}
