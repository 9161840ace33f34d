import ImageAuditELF
import ImageAuditFS

extension MuslLoader {
    /// Opens one path; musl takes the first file that opens and checks it only when mapping.
    func attempt(_ path: String, rule: SearchRule, into progress: inout SearchProgress) -> Candidate {
        progress.attempt(path, rule: rule, files: files) { Self.mapCheck($0, platform: platform) }
    }

    /// `map_library`: a directory fails to read (EISDIR), anything that is not an ELF `ET_DYN` or
    /// `ET_EXEC` of the right class is ENOEXEC. musl does not compare `e_machine`; a library for
    /// another machine is reported as ENOEXEC here, since it cannot work either.
    static func mapCheck(_ opened: ImageFiles.Opened, platform: ELFPlatform) -> CandidateResult {
        switch opened.attributes.type {
        case .directory: return .unusable(Errno.EISDIR.strerror)
        case .regular: break
        default: return .unusable(Errno.ENOEXEC.strerror)
        }
        guard let content = opened.content else { return .unknownContent }
        guard case .success(let file)? = content.elf, platform.canLoad(ELFPlatform(file)),
            file.header.type == .sharedObject || file.header.type == .executable
        else { return .unusable(Errno.ENOEXEC.strerror) }
        return .accepted
    }

    mutating func finish(_ name: String, requester: Int, _ progress: SearchProgress) {
        let detail = "needed by \(displayName(requester)); \(progress.summary)"
        let reason: String
        if let fatal = progress.fatal {
            state.record(requester, name, .failed(path: fatal.path, reason: fatal.reason), searched: progress.steps)
            reason = fatal.reason
        } else if let found = progress.found {
            if let index = state.object(at: found.opened.node) {
                if found.rule != .path, shortNames[index] == nil { shortNames[index] = name }
                state.record(
                    requester, name, .reused(index, because: "same file as \(state.objects[index].path)"),
                    searched: progress.steps)
                return
            }
            // A second libc loaded by path is replaced by musl itself.
            if found.rule == .path && Self.isAnotherLibc(found.file) {
                state.record(
                    requester, name, .reused(1, because: "another C library, replaced by musl"),
                    searched: progress.steps)
                return
            }
            let object = LoadedObject(
                path: found.path, resolvedPath: found.opened.resolvedPath, names: [], soname: found.file.soname,
                loadedBy: requester, rule: found.rule, platform: ELFPlatform(found.file), isInterpreter: false)
            let index = state.append(object, file: found.file, node: found.opened.node)
            if found.rule != .path { shortNames[index] = name }
            state.record(requester, name, .loaded(index), searched: progress.steps)
            return
        } else {
            state.record(requester, name, .notFound, searched: progress.steps)
            reason = progress.lastErrno.strerror
        }
        let message = "Error loading shared library \(name): \(reason) (needed by \(displayName(requester)))"
        let kind: LoaderProblem.Kind = progress.fatal == nil ? .libraryNotFound : .libraryUnusable
        state.problems.append(
            LoaderProblem(
                kind: kind, severity: .fatal, object: displayName(requester), subject: name, message: message,
                detail: detail))
    }

    /// Defines `__libc_start_main` and `stdin`: musl or glibc (`load_library`'s check).
    static func isAnotherLibc(_ file: ELFFile) -> Bool {
        ["__libc_start_main", "stdin"].allSatisfy { name in
            file.symbols.defines(
                UndefinedSymbol(
                    name: name, version: nil, versionFile: nil, isWeak: false, type: .noType, reference: .eager),
                checkingVersions: false)
        }
    }
}
