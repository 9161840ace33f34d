import ImageAuditELF
import ImageAuditFS

/// The module check of one start: when argv[0] is a Python interpreter, the extension modules
/// its start imports must load (errors); with `--all-modules`, every extension module on its
/// path is tried too (warnings).
struct PythonModuleAudit {
    let tree: FileTree
    let environment: Environment
    let workingDir: String
    let credentials: Credentials
    let identity: ImageIdentity
    let fixes: Fixes

    /// The checks run and their findings.
    func run(argv: [String], allModules: Bool) -> (checks: [String], findings: [Finding]) {
        let node: (checks: [String], findings: [Finding]) = allModules ? nodeAddons(argv: argv) : ([], [])
        let python = runPython(argv: argv, allModules: allModules)
        return (python.checks + node.checks, python.findings + node.findings)
    }

    /// `--all-modules`: every `*.node` file under a `node_modules` directory, `dlopen`ed from
    /// the image's `node` (argv[0], else PATH) as `process.dlopen` does (RTLD_LAZY). Warnings
    /// only: which addons a start `require`s is not scanned.
    func nodeAddons(argv: [String]) -> (checks: [String], findings: [Finding]) {
        let named = argv.first.flatMap(lookup).flatMap {
            ["node", "nodejs"].contains(ImagePath.basename($0)) ? $0 : nil
        }
        guard let node = named ?? lookup("node") else { return ([], []) }
        var addons: [String] = []
        tree.walk { path, id in
            let text = PathBytes.display(path)
            if text.hasSuffix(".node"), text.contains("/node_modules/"), tree.attributes(of: id).type == .regular {
                addons.append(text)
            }
        }
        guard !addons.isEmpty else { return ([], []) }
        let loading = ModuleLoading(
            tree: tree, interpreter: node, environment: environmentDictionary(), workingDirectory: workingDir,
            credentials: credentials.uid == 0 ? nil : credentials,
            muslVersion: identity.libc == .musl ? identity.libcVersion : nil, bindNow: false)
        let findings = ModuleFindings(fixes: fixes, identity: identity, interpreter: node)
        var result: [Finding] = []
        for addon in addons.sorted() {
            guard let failure = loading.check(addon) else { continue }
            result.append(
                findings.finding(
                    for: failure, module: addon, name: nil, via: [], check: "module:\(addon)", severity: .warning,
                    node: true))
        }
        return (addons.sorted().map { "module:\($0)" }, result)
    }

    private func environmentDictionary() -> [String: String] {
        var env: [String: String] = [:]
        for entry in environment.entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if env[String(parts[0])] == nil { env[String(parts[0])] = parts.count > 1 ? String(parts[1]) : "" }
        }
        return env
    }

    private func runPython(argv: [String], allModules: Bool) -> (checks: [String], findings: [Finding]) {
        guard let first = argv.first, let path = lookup(first) else { return ([], []) }
        var invocation = PythonInvocation(argv: argv, path: path)
        if invocation == nil && allModules, let python = lookup("python3") {
            invocation = PythonInvocation(argv: [python, "-c", ""], path: python)
        }
        guard let invocation else { return ([], []) }
        return check(invocation, allModules: allModules, severity: PythonInvocation.isPython(path) ? .error : .warning)
    }

    func check(_ invocation: PythonInvocation, allModules: Bool, severity: Severity) -> (
        checks: [String], findings: [Finding]
    ) {
        let env = environmentDictionary()
        let home = env["HOME"] ?? Self.home(of: credentials.uid, in: tree)
        guard
            case .success(let sysPath) = PythonSysPath.compute(
                in: tree, interpreter: invocation.interpreter, start: invocation.start, environment: env, home: home,
                workingDirectory: workingDir, flags: invocation.flags)
        else { return ([], []) }
        let loading = ModuleLoading(
            tree: tree, interpreter: invocation.interpreter, environment: env, workingDirectory: workingDir,
            credentials: credentials.uid == 0 ? nil : credentials,
            muslVersion: identity.libc == .musl ? identity.libcVersion : nil)
        let findings = ModuleFindings(fixes: fixes, identity: identity, interpreter: invocation.interpreter)
        var result: [Finding] = []
        var checks = ["python-imports"]
        let imported = ModuleImports.imported(
            by: invocation, sysPath: sysPath, tree: tree, workingDirectory: workingDir)
        var done: Set<String> = []
        for item in imported.modules {
            if item.module.kind == .foreignExtension {
                result.append(
                    findings.notImportable(
                        item.module, suffixes: sysPath.extensionSuffixes, via: item.via, severity: severity))
                continue
            }
            guard item.module.file.hasSuffix(".so"), done.insert(item.module.file).inserted,
                let failure = loading.check(item.module.file)
            else { continue }
            result.append(
                findings.finding(
                    for: failure, module: item.module.file, name: item.module.name, via: item.via, check: "entrypoint",
                    severity: severity))
        }
        if let first = imported.notJudged.first {
            // What the scan could not read is not a pass of its imports.
            let more = imported.notJudged.count > 1 ? " (and \(imported.notJudged.count - 1) more)" : ""
            result.append(
                Finding(
                    code: .notJudged, severity: .warning, check: "entrypoint", path: invocation.interpreter,
                    message: "",
                    cause: "the modules \(invocation.interpreter) imports at start are not judged (\(first)\(more));"
                        + " the audit does not count them as a pass",
                    chain: ["\(invocation.interpreter) is a Python interpreter"] + imported.notJudged.prefix(5)))
        }
        if allModules {
            for module in ModuleImports.allExtensionModules(sysPath: sysPath, tree: tree) where !done.contains(module) {
                checks.append("module:\(module)")
                guard let failure = loading.check(module) else { continue }
                result.append(
                    findings.finding(
                        for: failure, module: module, name: nil, via: [], check: "module:\(module)", severity: .warning)
                )
            }
        }
        return (checks, result)
    }

    /// argv[0] as exec finds it: a path, or the first regular file of that name in PATH.
    private func lookup(_ name: String) -> String? {
        if name.contains("/") { return PyPath.absolute(name, in: workingDir) }
        for dir in environment.pathDirectories {
            let candidate = PyPath.absolute(ImagePath.join(dir, name), in: workingDir)
            if let node = tree.node(at: candidate), tree.attributes(of: node).type == .regular { return candidate }
        }
        return nil
    }

    /// runc sets HOME from the user's passwd entry when the environment has none.
    static func home(of uid: UInt32, in tree: FileTree) -> String? {
        guard let node = tree.node(at: "/etc/passwd"), let data = tree.content(of: node)?.data else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 6, UInt32(fields[2]) == uid { return String(fields[5]) }
        }
        return nil
    }
}
