import ImageAuditFS

/// Interpreters given a file: the file must exist and be readable by the user. Messages as the
/// interpreters print them (checked live with Python 3.11, Perl 5.36, Node 20 and 24, OpenJDK 17,
/// Ruby 3.1, PHP 8.2).
extension StartPath {
    func interpreter(_ interpreter: Interpreter, _ invocation: Invocation, program: String, depth: Int)
        -> [StartFailure]
    {
        let argv0 = invocation.argv.first ?? ""
        let name = ImagePath.basename(argv0)
        var args = Array(invocation.argv.dropFirst())[...]
        let file: String
        let message: (String, Errno) -> String
        switch interpreter {
        case .python:
            var flags: PythonSysPath.Flags = []
            // python [-bBdEhiIOqsSuvVWx?] [-c CMD | -m MOD | FILE | -] ARGS
            while let arg = args.first, arg.hasPrefix("-"), arg.count > 1 {
                args.removeFirst()
                if arg == "-c" {
                    return [notJudged(invocation, what: name, reason: "Python code given with -c is not followed")]
                }
                if arg == "-m" || arg.hasPrefix("-m") {
                    let module = arg == "-m" ? args.first ?? "" : String(arg.dropFirst(2))
                    return pythonModule(module, invocation, program: program, flags: flags)
                }
                if arg.hasPrefix("-") && !arg.hasPrefix("--") {
                    if arg.contains("I") { flags.formUnion(.isolated) }
                    if arg.contains("E") { flags.insert(.ignoreEnvironment) }
                    if arg.contains("s") { flags.insert(.noUserSite) }
                    if arg.contains("P") { flags.insert(.safePath) }
                }
                if arg == "-X" || arg == "-W" || arg == "--check-hash-based-pycs" { _ = args.popFirst() }
                if arg == "--" { break }
            }
            guard let given = args.first, given != "-" else { return [] }
            file = given
            message = { path, errno in
                let shown = ImagePath.absolute(path, in: invocation.workingDir)
                return "\(argv0): can't open file '\(shown)': [Errno \(errno.number)] \(errno.strerror)"
            }
        case .perl:
            while let arg = args.first, arg.hasPrefix("-"), arg.count > 1 {
                if arg.hasPrefix("-e") || arg.hasPrefix("-E") {
                    return [notJudged(invocation, what: name, reason: "Perl code given with -e is not followed")]
                }
                args.removeFirst()
                if arg == "--" { break }
            }
            guard let given = args.first, given != "-" else { return [] }
            file = given
            message = { path, errno in "Can't open perl script \"\(path)\": \(errno.strerror)" }
        case .node:
            return node(invocation, depth: depth)
        case .java:
            guard args.first == "-jar", args.count > 1 else {
                return [notJudged(invocation, what: name, reason: "java without -jar: the class path is not followed")]
            }
            file = args[args.startIndex + 1]
            message = { path, _ in "Error: Unable to access jarfile \(path)" }
        case .ruby:
            switch rubyScript(&args) {
            case .notJudged(let reason): return [notJudged(invocation, what: name, reason: reason)]
            case .none: return []
            case .file(let given): file = given
            }
            message = { path, errno in "\(argv0): \(errno.strerror) -- \(path) (LoadError)" }
        case .php:
            switch phpScript(&args) {
            case .notJudged(let reason): return [notJudged(invocation, what: name, reason: reason)]
            case .none: return []
            case .file(let given): file = given
            }
            message = { path, _ in "Could not open input file: \(path)" }
        }
        let path = ImagePath.absolute(file, in: invocation.workingDir)
        var at = invocation
        at.trail.append(name)
        switch model.tree.resolve(path, as: invocation.credentials) {
        case .success(let found):
            let attributes = model.tree.attributes(of: found.node)
            if attributes.type == .directory {
                // Python runs a directory's __main__.py; not followed.
                return [notJudged(at, what: path, reason: "\(path) is a directory")]
            }
            guard ImageShellWorld.mayRead(attributes, invocation.credentials) else {
                return [
                    failure(
                        at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: true),
                        message: message(file, .EACCES),
                        chain: [
                            "\(path): mode \(ExecModel.octal(attributes.permissions)), owner \(attributes.uid):"
                                + "\(attributes.gid); uid \(invocation.credentials.uid) may not read it"
                        ])
                ]
            }
            return []
        case .failure(.searchDenied(let directory)):
            return [
                failure(
                    at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: true),
                    message: message(file, .EACCES),
                    chain: ["\(PathBytes.display(directory)) may not be searched by uid \(invocation.credentials.uid)"])
            ]
        case .failure(let error):
            return [
                failure(
                    at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: false),
                    message: message(file, Errno(error)), chain: [error.describe(for: path)])
            ]
        }
    }
}

extension StartPath {
    /// `python -m MODULE`: importlib's search on the sys.path this interpreter computes
    /// (`PythonSysPath`). Wording checked live with Debian's python3.11 (exit status 1).
    func pythonModule(_ module: String, _ invocation: Invocation, program: String, flags: PythonSysPath.Flags)
        -> [StartFailure]
    {
        let given = invocation.argv.first ?? program
        // runpy prefixes its errors with sys.executable: argv[0] made absolute when it names a
        // path, else the file found on PATH, which is the one exec'd (checked live, Python 3.11).
        let argv0 =
            given.contains("/") ? Self.lexical(ImagePath.absolute(given, in: invocation.workingDir)) : invocation.path
        var at = invocation
        at.trail.append("\(ImagePath.basename(given)) -m \(module)")
        guard !module.isEmpty else { return [] }
        var environment: [String: String] = [:]
        for entry in invocation.environment.entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        let path: PythonSysPath
        switch PythonSysPath.compute(
            in: model.tree, interpreter: program, start: .module(module),
            environment: environment, home: environment["HOME"],
            workingDirectory: invocation.workingDir, flags: flags)
        {
        case .success(let computed): path = computed
        case .failure(let problem):
            return [notJudged(at, what: "\(argv0) -m \(module)", reason: "sys.path could not be computed (\(problem))")]
        }
        let tree = model.tree
        func lookup(_ name: String) -> PythonModule? { path.resolveModule(name, in: tree) }
        let zipped = path.entries.contains { $0.path.hasSuffix(".zip") && tree.node(at: $0.path) != nil }
        let uncertain = !path.notJudged.isEmpty || zipped
        let searched = "sys.path: " + path.directories.joined(separator: ", ")
        let parts = module.split(separator: ".").map(String.init)
        if let found = lookup(module) {
            guard found.kind == .package || found.kind == .namespace else { return [] }
            if lookup(module + ".__main__") != nil { return [] }
            if uncertain {
                return [notJudged(at, what: module, reason: path.notJudged.first ?? "a zip entry on sys.path")]
            }
            return [
                failure(
                    at, .scriptFileMissing(interpreter: argv0, file: module + ".__main__", unreadable: false),
                    message: "\(argv0): No module named \(module).__main__; '\(module)' is a package and "
                        + "cannot be directly executed",
                    chain: ["\(found.file) is a package without __main__", searched])
            ]
        }
        if uncertain { return [notJudged(at, what: module, reason: path.notJudged.first ?? "a zip entry on sys.path")] }
        var message = "\(argv0): No module named \(module)"
        for count in 1..<max(1, parts.count) {
            let parent = parts.prefix(count).joined(separator: ".")
            if lookup(parent) == nil {
                message =
                    "\(argv0): Error while finding module specification for '\(module)' "
                    + "(ModuleNotFoundError: No module named '\(parent)')"
                break
            }
        }
        return [
            failure(
                at, .scriptFileMissing(interpreter: argv0, file: module, unreadable: false), message: message,
                chain: ["no module or package \(module) on the path", searched])
        ]
    }
}

extension StartPath {
    /// `node [options] FILE`: Node's resolution of the main module (Node 20, checked live): the file
    /// itself, then FILE.js, .json, .node, then a directory's package.json "main" (`nodePackage`) or
    /// index.js, .json, .node. Package managers other than npm are not judged.
    func node(_ invocation: Invocation, depth: Int) -> [StartFailure] {
        var args = Array(invocation.argv.dropFirst())[...]
        let name = ImagePath.basename(invocation.argv.first ?? "node")
        while let arg = args.first, arg.hasPrefix("-"), arg.count > 1 {
            args.removeFirst()
            if arg == "--" { break }
            if ["-e", "--eval", "-p", "--print", "-i", "--interactive", "-c", "--check"].contains(arg) {
                return [notJudged(invocation, what: name, reason: "node \(arg) is not followed")]
            }
            if ["-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--title"]
                .contains(arg)
            {
                _ = args.popFirst()
            }
        }
        guard let file = args.first else { return [] }
        var at = invocation
        at.trail.append(name)
        let base = ImagePath.basename(file)
        if ["npm", "npm-cli.js"].contains(base) {
            return npm(
                at, cli: ImagePath.absolute(file, in: invocation.workingDir), arguments: Array(args.dropFirst()),
                depth: depth)
        }
        if ["npx", "npx-cli.js", "yarn", "yarn.js", "pnpm", "pnpm.cjs"].contains(base) {
            return [
                notJudged(
                    at, what: base, reason: "the package manager's scripts (package.json \"scripts\") are not followed")
            ]
        }
        let path = Self.lexical(ImagePath.absolute(file, in: invocation.workingDir))
        let tree = model.tree
        var candidates = [path] + [".js", ".json", ".node"].map { path + $0 }
        if candidates.contains(where: nodeIsFile) { return [] }
        if case .success(let found) = tree.resolve(path), tree.attributes(of: found.node).type == .directory {
            if nodeIsFile(path + "/package.json") { return nodePackage(at, directory: path) }
            candidates += ["/index.js", "/index.json", "/index.node"].map { path + $0 }
        }
        if candidates.contains(where: nodeIsFile) { return [] }
        return [
            failure(
                at, .scriptFileMissing(interpreter: invocation.argv.first ?? "node", file: path, unreadable: false),
                message: "Error: Cannot find module '\(path)'",
                chain: ["node tried " + candidates.joined(separator: ", "), "node exits with status 1"])
        ]
    }
}
