import ImageAuditFS

/// The native code the start loads at import: every Python interpreter the start path reached
/// (argv itself, `sh -c "python3 app.py"`, `exec "$@"`, `tini --`, `gosu app`, npm scripts) is
/// checked in the process state it runs with. An interpreter reached only in some cases gives
/// warnings, and its findings' chains start with the start path that reaches it.
extension Auditor {
    struct ModuleContext {
        var tree: FileTree
        var identity: ImageIdentity
        var fixes: Fixes
        var startPath: StartPath
        /// The platform's architecture as Node names it (`process.arch`).
        var nodeArch: String
    }

    func moduleChecks(
        reached: [StartPath.Reached], argv: [String], process: ContainerProcess, credentials: Credentials,
        context: ModuleContext, allModules: Bool
    ) -> (checks: [String], findings: [Finding]) {
        var checks: [String] = []
        var findings: [Finding] = []
        var allDone = !allModules
        var addons: [String]?
        for item in reached where item.kind == .node {
            let all = addons ?? Self.nodeAddonFiles(context.tree)
            addons = all
            let audit = NodeAddonAudit(
                tree: context.tree, identity: context.identity, fixes: context.fixes, arch: context.nodeArch)
            if !checks.contains("node-requires") { checks.append("node-requires") }
            findings += audit.check(
                item.invocation, program: item.program, addons: all,
                prefix: context.startPath.chainLines(item.invocation))
        }
        for item in reached where item.kind == .python {
            let at = item.invocation
            guard let invocation = PythonInvocation(argv: at.argv, path: item.program) else { continue }
            let audit = PythonModuleAudit(
                tree: context.tree, environment: at.environment, workingDir: at.workingDir,
                credentials: at.credentials, identity: context.identity, fixes: context.fixes)
            // --all-modules: the path of the first interpreter that surely starts is walked once.
            let walk = !allDone && at.conditional == nil
            if walk { allDone = true }
            let found = audit.check(invocation, allModules: walk, severity: at.conditional == nil ? .error : .warning)
            let prefix = context.startPath.chainLines(at)
            for check in found.checks where !checks.contains(check) { checks.append(check) }
            findings += found.findings.map { finding in
                var finding = finding
                finding.chain = prefix + finding.chain
                return finding
            }
        }
        // No interpreter reached (or only conditional ones): --all-modules as before, from argv or PATH.
        let fallback = PythonModuleAudit(
            tree: context.tree, environment: process.environment, workingDir: process.workingDir,
            credentials: credentials, identity: context.identity, fixes: context.fixes)
        if allModules {
            let rest = allDone ? fallback.nodeAddons(argv: argv) : fallback.run(argv: argv, allModules: true)
            for check in rest.checks where !checks.contains(check) { checks.append(check) }
            let known = Set(findings.map(\.path))
            findings += rest.findings.filter { !known.contains($0.path) }
        }
        return (checks, findings)
    }

    /// Every regular `*.node` file in the image, sorted.
    static func nodeAddonFiles(_ tree: FileTree) -> [String] {
        var found: [String] = []
        tree.walk { path, id in
            guard path.last == UInt8(ascii: "e"), tree.attributes(of: id).type == .regular else { return }
            let text = PathBytes.display(path)
            if text.hasSuffix(".node") { found.append(text) }
        }
        return found.sorted()
    }

    /// Go's architecture names (the image config's) as Node's `process.arch`.
    static func nodeArch(_ architecture: String) -> String {
        switch architecture {
        case "amd64": "x64"
        case "386": "ia32"
        case "ppc64le": "ppc64"
        default: architecture
        }
    }
}
