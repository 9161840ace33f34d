import ImageAuditFS

/// Interpreters given a file: the file must exist and be readable by the user. Messages as the
/// interpreters print them (checked live with Python 3.11, Perl 5.36, Node 20, OpenJDK 17).
extension StartPath {
    func interpreter(_ interpreter: Interpreter, _ invocation: Invocation, depth: Int) -> [StartFailure] {
        let argv0 = invocation.argv.first ?? ""
        let name = ImagePath.basename(argv0)
        var args = Array(invocation.argv.dropFirst())[...]
        let file: String
        let message: (String, Errno) -> String
        switch interpreter {
        case .python:
            // python [-bBdEhiIOqsSuvVWx?] [-c CMD | -m MOD | FILE | -] ARGS
            while let arg = args.first, arg.hasPrefix("-"), arg.count > 1 {
                args.removeFirst()
                if arg == "-c" { return [notJudged(invocation, what: name, reason: "Python code given with -c is not followed")] }
                if arg == "-m" || arg.hasPrefix("-m") {
                    return [notJudged(invocation, what: name, reason: "python -m: the module search is not followed")]
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
            return [notJudged(invocation, what: name, reason: "what node loads (module resolution) is not followed yet")]
        case .java:
            guard args.first == "-jar", args.count > 1 else {
                return [notJudged(invocation, what: name, reason: "java without -jar: the class path is not followed")]
            }
            file = args[args.startIndex + 1]
            message = { path, _ in "Error: Unable to access jarfile \(path)" }
        case .ruby, .php:
            return [notJudged(invocation, what: name, reason: "what \(name) does with its arguments is not followed")]
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
                return [failure(at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: true),
                                message: message(file, .EACCES),
                                chain: ["\(path): mode \(ExecModel.octal(attributes.permissions)), owner \(attributes.uid):"
                                    + "\(attributes.gid); uid \(invocation.credentials.uid) may not read it"])]
            }
            return []
        case .failure(.searchDenied(let directory)):
            return [failure(at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: true),
                            message: message(file, .EACCES),
                            chain: ["\(PathBytes.display(directory)) may not be searched by uid \(invocation.credentials.uid)"])]
        case .failure(let error):
            return [failure(at, .scriptFileMissing(interpreter: argv0, file: file, unreadable: false),
                            message: message(file, Errno(error)), chain: [error.describe(for: path)])]
        }
    }
}

extension Errno {
    /// The number Python shows in `[Errno N]` (Linux).
    var number: Int {
        switch self {
        case .ENOENT: 2
        case .EACCES: 13
        case .ENOEXEC: 8
        case .ELOOP: 40
        case .ENOTDIR: 20
        case .EISDIR: 21
        case .ELIBBAD: 80
        }
    }
}
