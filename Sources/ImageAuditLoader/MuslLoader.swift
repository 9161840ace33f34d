import ImageAuditELF
import ImageAuditFS

/// musl's dynamic linker on the image (`ldso/dynlink.c`, `load_library`, musl 1.2): reserved
/// names answered by musl itself, `LD_LIBRARY_PATH`, the RPATH/RUNPATH of the requester and of
/// every object that loaded it, then `/etc/ld-musl-ARCH.path` or the built-in default.
struct MuslLoader: BreadthFirstLoading {
    let files: ImageFiles
    let options: LoaderOptions
    let platform: ELFPlatform
    /// `app.name`: the path the program was executed by (`AT_EXECFN`).
    let executablePath: String
    /// `ldso.name`: the program's `PT_INTERP` string.
    let loaderName: String
    var state = LoadState()
    /// Names an object was found under by searching (musl's `shortname`), per object.
    var shortNames: [Int: String] = [:]
    var systemPath: (list: String, rule: SearchRule, note: String?)?

    static let reserved = ["c.", "pthread.", "rt.", "m.", "dl.", "util.", "xnet."]

    /// `lib` + a reserved stem + `.` (libc.so.6, libpthread.so.0, libm.so …), or the loader's own name.
    func isMusl(_ name: String) -> Bool {
        if name == loaderName { return true }
        guard name.hasPrefix("lib") else { return false }
        let rest = name.dropFirst(3)
        return Self.reserved.contains { rest.hasPrefix($0) }
    }

    mutating func load(program: ProgramFile, interpreter: ProgramFile) {
        _ = state.append(program.object, file: program.file, node: program.node)
        _ = state.append(interpreter.object, file: interpreter.file, node: interpreter.node)
        loadNeededThenOpened()
    }

    /// How musl names an object in messages: `app.name` for the program, else `p->name`.
    func displayName(_ index: Int) -> String { index == 0 ? executablePath : state.objects[index].path }

    /// `$ORIGIN`: the program's from /proc/self/exe (resolved), a library's from its `p->name`.
    func origin(of index: Int) -> String {
        ImagePath.dirname(index == 0 ? state.objects[0].resolvedPath : files.absolute(state.objects[index].path))
    }

    mutating func resolve(_ name: String, requester: Int) {
        if isMusl(name) {
            state.record(requester, name, .reused(1, because: SearchRule.muslItself.description), searched: [])
            return
        }
        var progress = SearchProgress()
        if name.contains("/") {
            let candidate = attempt(name, rule: .path, into: &progress)
            progress.steps.append(SearchStep(rule: .path, location: name, candidates: [candidate]))
        } else {
            if let (index, _) = shortNames.first(where: { $0.value == name }) {
                state.record(requester, name, .reused(index, because: "already loaded as \(name)"), searched: [])
                return
            }
            search(name, requester: requester, into: &progress)
        }
        finish(name, requester: requester, progress)
    }

    mutating func search(_ name: String, requester: Int, into progress: inout SearchProgress) {
        if let list = options.environment["LD_LIBRARY_PATH"], !list.isEmpty {
            if pathOpen(name, list, rule: .libraryPath, into: &progress) { return }
        }
        for owner in state.loaderChain(from: requester) {
            // RUNPATH wins over RPATH when both exist (decode_dyn reads DT_RUNPATH last).
            guard let raw = state.files[owner].dynamic?.runpath ?? state.files[owner].dynamic?.rpath else { continue }
            let rule: SearchRule =
                state.files[owner].dynamic?.runpath != nil
                ? .runpath(of: displayName(owner)) : .rpath(of: displayName(owner))
            guard let list = SearchPath.muslExpand(raw, origin: origin(of: owner)) else {
                progress.steps.append(
                    SearchStep(rule: rule, location: raw, candidates: [], note: "ignored: musl expands only $ORIGIN"))
                continue
            }
            if pathOpen(name, list, rule: rule, into: &progress) { return }
        }
        let system = systemSearchPath()
        if let note = system.note {
            progress.steps.append(SearchStep(rule: system.rule, location: "", candidates: [], note: note))
        }
        _ = pathOpen(name, system.list, rule: system.rule, into: &progress)
    }

    /// The path file next to the loader's prefix, else the default.
    mutating func systemSearchPath() -> (list: String, rule: SearchRule, note: String?) {
        if let systemPath { return systemPath }
        // The prefix is the loader path up to its second-to-last '/': /lib/ld-musl-x86_64.so.1 → "".
        let slashes = loaderName.indices.filter { loaderName[$0] == "/" }
        let prefix =
            loaderName.hasPrefix("/") && slashes.count >= 2 ? String(loaderName[..<slashes[slashes.count - 2]]) : ""
        let arch = Self.arch(fromLoaderName: loaderName) ?? platform.muslArch ?? "unknown"
        let pathFile = "\(prefix)/etc/ld-musl-\(arch).path"
        let result: (String, SearchRule, String?)
        switch files.open(pathFile) {
        case .failure(let errno) where errno.rawValue == "ENOENT" || errno.rawValue == "ENOTDIR":
            result = ("/lib:/usr/local/lib:/usr/lib", .muslDefault, nil)
        case .failure(let errno):
            result = (
                "", .muslPathFile(pathFile), "\(pathFile) cannot be read (\(errno.rawValue)): no system directories"
            )
        case .success(let opened):
            if let data = opened.content?.data {
                result = (String(decoding: data, as: UTF8.self), .muslPathFile(pathFile), nil)
            } else {
                result = (
                    "/lib:/usr/local/lib:/usr/lib", .muslDefault,
                    "\(pathFile) exists but its content was not kept; the default was assumed"
                )
            }
        }
        systemPath = result
        return result
    }

    /// `ld-musl-ARCH.so.1` → ARCH.
    static func arch(fromLoaderName name: String) -> String? {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard base.hasPrefix("ld-musl-"), base.hasSuffix(".so.1") else { return nil }
        return String(base.dropFirst(8).dropLast(5))
    }

    /// musl's `path_open`: the first file that opens wins, whatever it is; errors other than
    /// ENOENT, ENOTDIR, EACCES, ENAMETOOLONG end the whole search. Returns whether to stop.
    mutating func pathOpen(_ name: String, _ list: String, rule: SearchRule, into progress: inout SearchProgress)
        -> Bool
    {
        for directory in SearchPath.muslElements(list) {
            let path = directory + "/" + name
            let candidate = attempt(path, rule: rule, into: &progress)
            progress.steps.append(SearchStep(rule: rule, location: directory, candidates: [candidate]))
            if progress.isDone { return true }
            if !["ENOENT", "ENOTDIR", "EACCES", "ENAMETOOLONG"].contains(progress.lastErrno.rawValue) { return true }
        }
        return false
    }
}
