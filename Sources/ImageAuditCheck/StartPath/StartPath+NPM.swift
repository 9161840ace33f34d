import ImageAuditFS
import ImageAuditShell

/// `npm start`, `npm test`, `npm run X`: the script from the project's package.json, run as npm
/// runs it (`sh -c SCRIPT` with every `node_modules/.bin` from the project up to `/` first on
/// PATH; `preX` first), judged like any shell command. Checked live with npm 10.8 (Node 20).
extension StartPath {
    /// The package.json files read whole: projects up to three directories deep, and npm's own
    /// (for its version, which decides its wording).
    static let npmRequirements = ContentRequirements(
        [
            "package.json", "*/package.json", "*/*/package.json", "*/*/*/package.json",
            "usr/lib/node_modules/npm/package.json", "usr/local/lib/node_modules/npm/package.json",
            "usr/share/nodejs/npm/package.json",
        ].map { .init(.path($0), cap: 64 << 10, reason: "npm scripts") },
        totalBudget: 8 << 20)

    func npm(_ invocation: Invocation, cli: String, arguments: [String], depth: Int) -> [StartFailure] {
        var at = invocation
        var args = arguments[...]
        let command = args.popFirst() ?? ""
        let script: String
        switch command {
        case "start", "test", "stop", "restart": script = command
        case "run", "run-script", "rum", "urn":
            guard let name = args.popFirst() else { return [] }
            script = name
        default:
            return [notJudged(at, what: "npm \(command)", reason: "npm \(command) is not followed")]
        }
        at.trail.append("npm \(command == script ? script : "run \(script)")")
        let project = npmPrefix(invocation.workingDir)
        let read = ImageShellWorld.read(
            project + "/package.json", tree: model.tree, credentials: invocation.credentials)
        guard case .text(let text) = read, let package = PackageJSON(Array(text.utf8)) else {
            return [notJudged(at, what: "\(project)/package.json", reason: "\(project)/package.json was not read")]
        }
        var body = package.scripts[script]
        if body == nil, script == "start",
            ImageShellWorld.test(
                .regular, project + "/server.js", tree: model.tree,
                credentials: invocation.credentials) == true
        {
            body = "node server.js"  // npm's default start
        }
        guard let body else {
            guard let prefix = npmErrorPrefix(cli: cli) else {
                return [notJudged(at, what: "npm \(script)", reason: "npm's version (its wording) is not known")]
            }
            return [
                failure(
                    at, .commandNotFound(runner: "npm", command: script),
                    message: "\(prefix) Missing script: \"\(script)\"",
                    chain: ["\(project)/package.json has no \"scripts\".\"\(script)\"", "npm exits with status 1"])
            ]
        }
        // Arguments after `--` are appended, quoted (npm 7+).
        let extra = args.drop { $0 != "--" }.dropFirst().map { "'" + $0.replacing("'", with: "'\\''") + "'" }
        var environment = invocation.environment
        var bins: [String] = []
        var directory = project
        while true {
            bins.append(directory == "/" ? "/node_modules/.bin" : directory + "/node_modules/.bin")
            if directory == "/" { break }
            directory = ImagePath.dirname(directory)
        }
        environment.set("PATH=" + (bins + [environment["PATH"] ?? ""]).joined(separator: ":"))
        var failures: [StartFailure] = []
        for (name, text) in [
            ("pre" + script, package.scripts["pre" + script]), (script, body + extra.map { " " + $0 }.joined()),
        ] {
            guard let text else { continue }
            var shell = at
            shell.path = "/bin/sh"
            shell.argv = ["sh", "-c", text]
            shell.environment = environment
            shell.workingDir = project
            shell.trail.append("\"\(name)\": \(text)")
            let found = run(shell, depth: depth, wording: { errno in "npm: /bin/sh: \(errno.strerror)" })
            failures += found
            if found.contains(where: { $0.stopsStart }) { break }
        }
        return failures
    }

    /// npm's local prefix: the nearest directory from the working directory up that holds a
    /// package.json or node_modules; the working directory when none does.
    private func npmPrefix(_ workingDir: String) -> String {
        var directory = workingDir
        while true {
            for name in ["package.json", "node_modules"] {
                let path = directory == "/" ? "/" + name : directory + "/" + name
                if model.tree.node(at: path) != nil { return directory }
            }
            if directory == "/" { return workingDir }
            directory = ImagePath.dirname(directory)
        }
    }

    /// npm 10 prints `npm error`, earlier ones `npm ERR!`; from npm's own package.json.
    private func npmErrorPrefix(cli: String) -> String? {
        guard case .success(let found) = model.tree.resolve(cli) else { return nil }
        let package = ImagePath.dirname(ImagePath.dirname(PathBytes.display(found.path))) + "/package.json"
        guard let data = model.tree.node(at: package).flatMap({ model.tree.content(of: $0)?.data }),
            let version = PackageJSON(data)?.version, let major = Int(version.split(separator: ".").first ?? "")
        else { return nil }
        return major >= 10 ? "npm error" : "npm ERR!"
    }
}
