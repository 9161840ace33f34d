import ImageAuditELF
import ImageAuditFS

/// The addons a Node start requires: the entry script's top-level requires and imports
/// (``NodeRequires``), relative ones followed into the files they name (while those are kept),
/// packages found as Node finds them (`node_modules` from the requiring file's directory up to
/// `/`). An addon required by its path, or the only one a required package has where `bindings`
/// and `node-gyp-build` look (`build/Release/`, `prebuilds/linux-ARCH/`), is an error when it
/// cannot load; any other addon of a required package is a warning (which one it loads is not
/// followed). Packages' own files are not scanned (their contents are not kept).
struct NodeAddonAudit {
    let tree: FileTree
    let identity: ImageIdentity
    let fixes: Fixes
    /// Node's `process.arch` for the image's platform (`x64`, `arm64`).
    let arch: String
    /// Relative files followed from the entry script, at most.
    static let fileLimit = 200

    func check(_ at: StartPath.Invocation, program: String, addons: [String], prefix: [String]) -> [Finding] {
        guard !addons.isEmpty, let entry = entryFile(at) else { return [] }
        var environment: [String: String] = [:]
        for entry in at.environment.entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if environment[String(parts[0])] == nil {
                environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
        }
        let loading = ModuleLoading(
            tree: tree, interpreter: program, environment: environment, workingDirectory: at.workingDir,
            credentials: at.credentials.uid == 0 ? nil : at.credentials,
            muslVersion: identity.libc == .musl ? identity.libcVersion : nil, bindNow: false)
        let findings = ModuleFindings(fixes: fixes, identity: identity, interpreter: program)
        let unconditional = at.conditional == nil
        var result: [Finding] = []
        var notRead: [String] = []
        var pending: [(file: String, via: [String])] = [(entry, [])]
        var seenFiles: Set<String> = [entry]
        var seenAddons: Set<String> = []
        var index = 0
        func report(_ addon: String, sound: Bool, via: [String]) {
            guard seenAddons.insert(addon).inserted, let failure = loading.check(addon) else { return }
            var finding = findings.finding(
                for: failure, module: addon, name: nil, via: via, check: "entrypoint",
                severity: sound && unconditional ? .error : .warning, node: true)
            finding.chain = prefix + finding.chain
            result.append(finding)
        }
        while index < pending.count, index < Self.fileLimit {
            let (file, via) = pending[index]
            index += 1
            if file.hasSuffix(".node") {
                report(file, sound: true, via: via)
                continue
            }
            guard let node = tree.node(at: file), let data = tree.content(of: node)?.data else {
                notRead.append(file)
                continue
            }
            let directory = ImagePath.dirname(file)
            for specifier in NodeRequires.scan(String(decoding: data, as: UTF8.self)) {
                let line = via + ["\(file) requires '\(specifier)'"]
                if NodeRequires.isBuiltin(specifier) { continue }
                if specifier.hasPrefix("./") || specifier.hasPrefix("../") || specifier.hasPrefix("/") {
                    guard let found = resolveFile(ImagePath.absolute(specifier, in: directory)),
                        seenFiles.insert(found).inserted
                    else { continue }
                    if found.hasSuffix(".js") || found.hasSuffix(".mjs") || found.hasSuffix(".cjs")
                        || found.hasSuffix(".node")
                    {
                        pending.append((found, line))
                    }
                    continue
                }
                let name = NodeRequires.packageName(specifier)
                guard let package = packageDirectory(name, from: directory) else { continue }
                let own = addons.filter {
                    $0.hasPrefix(package + "/") && !$0.dropFirst(package.count).contains("/node_modules/")
                }
                guard !own.isEmpty else { continue }
                let loaded = conventional(own, package: package)
                for addon in own {
                    let sound = loaded == addon
                    let how =
                        sound
                        ? "\(name) is the package \(package); its only addon where bindings and node-gyp-build"
                            + " look (build/Release, prebuilds/linux-\(arch)) is \(addon)"
                        : "\(name) is the package \(package), which holds \(own.count) addon(s); which one it"
                            + " loads is not followed"
                    report(addon, sound: sound, via: line + [how])
                }
            }
        }
        if index < pending.count || !notRead.isEmpty, result.isEmpty {
            let what =
                notRead.first.map { "the requires of \($0) were not read" } ?? "more than \(Self.fileLimit) files"
            result.append(
                Finding(
                    code: .notJudged, severity: .warning, check: "entrypoint", path: entry, message: "",
                    cause: "the addons \(program) requires at start are not judged (\(what)); the audit does not"
                        + " count them as a pass",
                    chain: prefix + ["\(program) is Node.js; the image has addons under node_modules"]))
        }
        return result
    }

    /// `node [options] FILE` → the module Node loads first (the file, then .js, .json, .node,
    /// then a directory's index.*); nil for `-e`, no file, or a directory with a package.json.
    private func entryFile(_ at: StartPath.Invocation) -> String? {
        var args = Array(at.argv.dropFirst())[...]
        while let arg = args.first, arg.hasPrefix("-"), arg.count > 1 {
            args.removeFirst()
            if arg == "--" { break }
            if ["-e", "--eval", "-p", "--print", "-i", "--interactive", "-c", "--check"].contains(arg) { return nil }
            if ["-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--title"]
                .contains(arg)
            {
                _ = args.popFirst()
            }
        }
        guard let file = args.first else { return nil }
        return resolveFile(ImagePath.absolute(file, in: at.workingDir))
    }

    /// Node's LOAD_AS_FILE then LOAD_AS_DIRECTORY (index.* only: a package.json "main" is not read).
    private func resolveFile(_ path: String) -> String? {
        func isFile(_ candidate: String) -> Bool {
            guard case .success(let found) = tree.resolve(candidate) else { return false }
            return tree.attributes(of: found.node).type == .regular
        }
        for candidate in [path, path + ".js", path + ".json", path + ".node"] where isFile(candidate) {
            return candidate
        }
        if isFile(path + "/package.json") { return nil }
        return ["/index.js", "/index.json", "/index.node"].map { path + $0 }.first(where: isFile)
    }

    /// The first `DIR/node_modules/NAME` directory from `directory` up to `/`.
    private func packageDirectory(_ name: String, from directory: String) -> String? {
        var dir = directory
        while true {
            if ImagePath.basename(dir) != "node_modules" {
                let candidate = (dir == "/" ? "" : dir) + "/node_modules/" + name
                if case .success(let found) = tree.resolve(candidate),
                    tree.attributes(of: found.node).type == .directory
                {
                    return candidate
                }
            }
            if dir == "/" { return nil }
            dir = ImagePath.dirname(dir)
        }
    }

    /// The one addon `bindings` / `node-gyp-build` would load: the only file in build/Release,
    /// else the only prebuild for linux-ARCH and this C library; nil when that is not one file.
    private func conventional(_ addons: [String], package: String) -> String? {
        let release = addons.filter { $0.hasPrefix(package + "/build/Release/") }
        if !release.isEmpty { return release.count == 1 ? release[0] : nil }
        let musl = identity.libc == .musl
        let prebuilds = addons.filter {
            $0.hasPrefix(package + "/prebuilds/linux-\(arch)/") && $0.contains(".musl.") == musl
                && (musl || !$0.contains("musl"))
        }
        return prebuilds.count == 1 ? prebuilds[0] : nil
    }
}
