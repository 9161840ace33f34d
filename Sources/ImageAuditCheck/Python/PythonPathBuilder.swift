import ImageAuditFS

/// The steps of ``PythonSysPath/compute(in:interpreter:start:environment:home:workingDirectory:flags:)``:
/// CPython 3.11's `getpath.py` (venv, prefix, entries) then `site.main()` (user site, site
/// directories, `.pth` files, duplicates removed).
struct PythonPathBuilder {
    let tree: FileTree
    let workingDirectory: String
    private var entries: [PythonSysPath.Entry] = []
    private var known: Set<String> = []
    private var notJudged: [String] = []

    init(tree: FileTree, workingDirectory: String) {
        self.tree = tree
        self.workingDirectory = PyPath.clean(workingDirectory.isEmpty ? "/" : workingDirectory)
    }

    mutating func compute(
        interpreter: String, start: PythonSysPath.Start, env: [String: String], home: String?,
        flags: PythonSysPath.Flags
    ) -> Result<PythonSysPath, PythonSysPath.Problem> {
        let executable = PyPath.absolute(interpreter, in: workingDirectory)
        // getpath: pyvenv.cfg beside the executable or one directory up; the executable itself
        // is not resolved for this (a venv's bin/python is a symlink to the base).
        let venv = findVenv(executable)
        let base: String
        if let home = venv?.home {
            base = realpath(ImagePath.join(home, ImagePath.basename(executable)))
        } else {
            base = realpath(executable)
        }
        let searchFrom = venv?.home.map { PyPath.clean($0) } ?? ImagePath.dirname(base)
        let named =
            Self.version(inName: ImagePath.basename(base)) ?? Self.version(inName: ImagePath.basename(executable))

        var prefix: String
        var execPrefix: String
        var version: String
        if let pythonHome = env["PYTHONHOME"], !pythonHome.isEmpty {
            let parts = pythonHome.split(separator: ":", maxSplits: 1).map(String.init)
            prefix = PyPath.absolute(parts[0], in: workingDirectory)
            execPrefix = parts.count > 1 ? PyPath.absolute(parts[1], in: workingDirectory) : prefix
            guard let found = named ?? versions(under: prefix).first,
                isFile(ImagePath.join(prefix, "lib/python\(found)/os.py"))
            else { return .failure(.homeWithoutStdlib(pythonHome)) }
            version = found
        } else {
            let fallback = ["/usr/local", "/usr"].compactMap { landmark(at: $0, version: named) }.first
            guard let (found, foundVersion) = landmark(from: searchFrom, version: named) ?? fallback
            else { return .failure(.noLandmark(executable: executable)) }
            prefix = found
            version = foundVersion
            execPrefix =
                ancestors(searchFrom).first { isDirectory(ImagePath.join($0, "lib/python\(version)/lib-dynload")) }
                ?? prefix
        }

        // sys.path[0] is inserted after site ran: never merged with a later duplicate.
        switch start {
        case .script(let script) where !flags.contains(.safePath):
            let dir = ImagePath.dirname(realpath(PyPath.absolute(script, in: workingDirectory)))
            entries.append(.init(path: PyPath.clean(dir), origin: .scriptDirectory))
        case .module where !flags.contains(.safePath), .command where !flags.contains(.safePath):
            entries.append(.init(path: workingDirectory, origin: .workingDirectory))
        default: break
        }
        for part in (env["PYTHONPATH"] ?? "").split(separator: ":", omittingEmptySubsequences: false)
        where env["PYTHONPATH"].map({ !$0.isEmpty }) ?? false {
            add(
                part.isEmpty ? workingDirectory : PyPath.absolute(String(part), in: workingDirectory), .pythonPath,
                check: false)
        }
        add(ImagePath.join(prefix, "lib/python\(version.filter { $0 != "." }).zip"), .zip, check: false)
        add(ImagePath.join(prefix, "lib/python\(version)"), .stdlib, check: false)
        add(ImagePath.join(execPrefix, "lib/python\(version)/lib-dynload"), .dynload, check: false)

        let debian = usesDebianSite(stdlib: ImagePath.join(prefix, "lib/python\(version)"))
        let basePrefix = prefix
        var sitePrefixes = [prefix, execPrefix]
        var userSite = !flags.contains(.noUserSite) && (env["PYTHONNOUSERSITE"] ?? "").isEmpty
        if let venv {
            // site.venv(): the venv's own site directory first; the system ones only with
            // include-system-site-packages = true (the default when the key is missing).
            for dir in Self.siteDirectories(prefix: venv.directory, version: version, debian: debian, venv: true) {
                addSiteDirectory(dir, .site)
            }
            if venv.systemSite {
                sitePrefixes.insert(venv.directory, at: 0)
            } else {
                sitePrefixes = [venv.directory]
                userSite = false
            }
        }
        if userSite,
            let base = env["PYTHONUSERBASE"].flatMap({ $0.isEmpty ? nil : $0 })
                ?? home.map({ ImagePath.join($0, ".local") })
        {
            addSiteDirectory(
                PyPath.absolute(ImagePath.join(base, "lib/python\(version)/site-packages"), in: "/"), .userSite)
        }
        var seenPrefixes: Set<String> = []
        for sitePrefix in sitePrefixes where seenPrefixes.insert(sitePrefix).inserted {
            for dir in Self.siteDirectories(prefix: sitePrefix, version: version, debian: debian, venv: venv != nil) {
                addSiteDirectory(dir, .site)
            }
        }
        return .success(
            PythonSysPath(
                version: version, prefix: venv?.directory ?? prefix, execPrefix: venv?.directory ?? execPrefix,
                basePrefix: basePrefix, venv: venv?.directory, entries: entries,
                platform: platform(stdlib: ImagePath.join(prefix, "lib/python\(version)")),
                notJudged: notJudged))
    }

    /// `site.getsitepackages` for one prefix: upstream's `lib/pythonX.Y/site-packages`, or
    /// Debian's list (which has `site-packages` only inside a venv).
    static func siteDirectories(prefix: String, version: String, debian: Bool, venv: Bool) -> [String] {
        guard debian else { return [ImagePath.join(prefix, "lib/python\(version)/site-packages")] }
        var dirs = venv ? [ImagePath.join(prefix, "lib/python\(version)/site-packages")] : []
        dirs.append(ImagePath.join(prefix, "local/lib/python\(version)/dist-packages"))
        dirs.append(ImagePath.join(prefix, "lib/python3/dist-packages"))
        dirs.append(ImagePath.join(prefix, "lib/python\(version)/dist-packages"))
        return dirs
    }

    // MARK: - site.addsitedir and .pth files

    private mutating func add(_ path: String, _ origin: PythonSysPath.Origin, check: Bool) {
        let clean = PyPath.clean(path)
        if check && !isDirectory(clean) { return }
        guard known.insert(clean).inserted else { return }
        entries.append(.init(path: clean, origin: origin))
    }

    /// `site.addsitedir`: the directory if it exists, then its `.pth` files in name order.
    private mutating func addSiteDirectory(_ dir: String, _ origin: PythonSysPath.Origin) {
        guard case .success(let resolved) = tree.resolve(dir), tree.attributes(of: resolved.node).type == .directory
        else {
            return
        }
        add(dir, origin, check: false)
        let pths = tree.children(of: resolved.node).filter {
            $0.name.count > 4 && $0.name.suffix(4).elementsEqual(Array(".pth".utf8))
        }
        .sorted { $0.name.lexicographicallyPrecedes($1.name) }
        for (name, node) in pths {
            let file = ImagePath.join(dir, PathBytes.display(name))
            guard let target = try? tree.resolve(Array(file.utf8)).get(),
                tree.attributes(of: target.node).type == .regular
            else {
                continue
            }
            guard let data = tree.content(of: target.node)?.data else {
                notJudged.append("\(file) not read (\(tree.content(of: node)?.withheld?.description ?? "not kept"))")
                continue
            }
            for raw in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
                let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
                if line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                if line.hasPrefix("import ") || line.hasPrefix("import\t") {
                    notJudged.append("\(file) runs code at start (\(line.prefix(60)))")
                    continue
                }
                let entry = PyPath.rstrip(line)
                add(PyPath.absolute(entry, in: dir), .pth(file), check: true)
            }
        }
    }

    // MARK: - the image

    private struct Venv {
        var directory: String
        var home: String?
        var systemSite: Bool
    }

    private mutating func findVenv(_ executable: String) -> Venv? {
        let bin = ImagePath.dirname(executable)
        for dir in [bin, ImagePath.dirname(bin)] {
            let cfg = ImagePath.join(dir, "pyvenv.cfg")
            guard case .success(let file) = tree.resolve(cfg), tree.attributes(of: file.node).type == .regular else {
                continue
            }
            guard let data = tree.content(of: file.node)?.data else {
                notJudged.append("\(cfg) not read")
                return Venv(directory: dir, home: nil, systemSite: true)
            }
            var values: [String: String] = [:]
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                guard let equals = line.firstIndex(of: "=") else { continue }
                let key = PyPath.strip(line[..<equals]).lowercased()
                values[key] = PyPath.strip(line[line.index(after: equals)...])
            }
            let system = (values["include-system-site-packages"] ?? "true").lowercased() == "true"
            return Venv(directory: dir, home: values["home"], systemSite: system)
        }
        return nil
    }

    private func landmark(from directory: String, version: String?) -> (String, String)? {
        for dir in ancestors(directory) {
            if let found = landmark(at: dir, version: version) { return found }
        }
        return nil
    }

    private func landmark(at prefix: String, version: String?) -> (String, String)? {
        for candidate in version.map({ [$0] }) ?? versions(under: prefix)
        where isFile(ImagePath.join(prefix, "lib/python\(candidate)/os.py"))
            || isFile(ImagePath.join(prefix, "lib/python\(candidate)/os.pyc"))
        {
            return (prefix, candidate)
        }
        return nil
    }

    /// The `X.Y` of the `lib/pythonX.Y` directories under a prefix, newest first.
    private func versions(under prefix: String) -> [String] {
        guard let lib = tree.node(at: ImagePath.join(prefix, "lib")) else { return [] }
        return tree.children(of: lib).compactMap { Self.version(inName: PathBytes.display($0.name)) }
            .sorted {
                $0.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes(
                    $1.split(separator: ".").compactMap { Int($0) })
            }
            .reversed()
    }

    /// `3.11` from `python3.11`.
    static func version(inName name: String) -> String? {
        guard name.hasPrefix("python3.") else { return nil }
        let minor = name.dropFirst("python3.".count)
        return !minor.isEmpty && minor.allSatisfy(\.isNumber) ? "3." + minor : nil
    }

    private func ancestors(_ directory: String) -> [String] {
        var dirs = [PyPath.clean(directory)]
        while dirs[dirs.count - 1] != "/" { dirs.append(ImagePath.dirname(dirs[dirs.count - 1])) }
        return dirs
    }

    /// Debian's `site.py` adds `dist-packages`; upstream's only `site-packages`.
    private mutating func usesDebianSite(stdlib: String) -> Bool {
        let site = ImagePath.join(stdlib, "site.py")
        if let node = tree.node(at: site), let data = tree.content(of: node)?.data {
            return String(decoding: data, as: UTF8.self).contains("dist-packages")
        }
        if tree.node(at: site) != nil { notJudged.append("\(site) not read: site directories assumed upstream's") }
        return false
    }

    /// The triplet of `_sysconfigdata_*_<triplet>.py` in the stdlib (`x86_64-linux-gnu`).
    private func platform(stdlib: String) -> String {
        guard let dir = tree.node(at: stdlib) else { return "x86_64-linux-gnu" }
        for (name, _) in tree.children(of: dir) {
            let text = PathBytes.display(name)
            guard text.hasPrefix("_sysconfigdata_"), text.hasSuffix(".py") else { continue }
            // `_sysconfigdata_{abiflags}_{platform}_{multiarch}.py`; the arch may hold `_`.
            let stem = text.dropLast(3)
            for arch in Self.architectures {
                let marker = "_" + arch + "-linux-"
                if let start = stem.indices.last(where: { stem[$0...].hasPrefix(marker) }) {
                    return String(stem[stem.index(after: start)...])
                }
            }
        }
        return "x86_64-linux-gnu"
    }

    /// The multiarch names of the architectures CPython builds for on Linux.
    static let architectures = [
        "x86_64", "aarch64", "i386", "i686", "arm", "powerpc64le", "powerpc64", "s390x", "riscv64", "mips64el",
        "loongarch64",
    ]

    func realpath(_ path: String) -> String {
        (try? tree.resolve(path).get()).map { PathBytes.display($0.path) } ?? PyPath.clean(path)
    }

    func isDirectory(_ path: String) -> Bool {
        tree.node(at: path).map { tree.attributes(of: $0).type == .directory } ?? false
    }

    func isFile(_ path: String) -> Bool {
        tree.node(at: path).map { tree.attributes(of: $0).type == .regular } ?? false
    }
}
