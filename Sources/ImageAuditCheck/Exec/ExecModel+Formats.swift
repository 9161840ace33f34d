import ImageAuditFS
import ImageAuditOCI

/// The two binary formats the kernel runs in a container: ELF (with its program interpreter and
/// the dynamic loader after it) and `#!` scripts (with `/usr/bin/env NAME` followed to NAME).
extension ExecModel {
    func elf(_ path: String, facts: ELFFacts, argv0: String, chain: [String]) -> Report {
        var chain = chain
        let linking =
            facts.interpreter.map { "dynamically linked, interpreter \($0)" }
            ?? (facts.kernelRefusal?.kind == .notAProgram ? "no PT_INTERP" : "statically linked")
        chain.append("\(path): \(facts.fileDescription), \(linking)")
        guard facts.runs(on: platform) else {
            return fail(
                .wrongArchitecture(path: path, facts: facts, platform: platform.description), .ENOEXEC,
                chain + ["the image's platform is \(platform.description)"])
        }
        if let refusal = facts.kernelRefusal { return kernelRefused(path, refusal, chain: chain) }
        if let refusal = facts.kernelRefusal { return kernelRefused(path, refusal, chain: chain) }
        guard let interpreter = facts.interpreter else { return Report(reached: path, failures: [], chain: chain) }

        switch openExec(interpreter) {
        case .failure(.lookup(let error)):
            return fail(
                .missingInterpreter(program: path, interpreter: interpreter, facts: facts), Errno(error),
                chain + [error.describe(for: interpreter)])
        case .failure(.refused(let why)):
            return fail(.notExecutable(path: interpreter, why: why), .EACCES, chain + [describe(why, interpreter)])
        case .success(let (node, resolved)):
            chain.append("interpreter \(interpreter)" + (resolved == interpreter ? " exists" : " → \(resolved)"))
            switch loading.inspect(tree.content(of: node), at: resolved) {
            case .facts(let loader) where !loader.runs(on: platform):
                return fail(
                    .wrongArchitecture(path: interpreter, facts: loader, platform: platform.description), .ELIBBAD,
                    chain + ["\(resolved): \(loader.fileDescription)"])
            case .notELF, .malformed:
                return fail(
                    .execFormat(path: interpreter, why: "the program interpreter is not a usable ELF file"), .ELIBBAD,
                    chain + ["\(resolved) is not an ELF file"])
            default:
                break
            }
        }

        let context = LinkContext(
            tree: tree, environment: environment.entries, workingDirectory: workingDir, credentials: credentials,
            platform: platform)
        let outcome = loading.link(
            program: path, facts: facts, argv0: argv0, interpreter: interpreter, context: context)
        let missingVersions = Self.missingVersions(outcome.problems)
        let failures = Self.consequential(outcome.problems).map { problem in
            var elsewhere: [String] = []
            if case .libraryNotFound(let name, _, _, _) = problem { elsewhere = files(named: name) }
            let found =
                elsewhere.isEmpty
                ? []
                : ["a file named \(ImagePath.basename(elsewhere[0])) exists at " + elsewhere.joined(separator: ", ")]
            return StartFailure(
                problem: .link(
                    problem, program: path, facts: facts, libc: outcome.libc, elsewhere: elsewhere,
                    missingVersions: missingVersions),
                message: problem.message, chain: chain + Self.chain(of: problem) + found, stopsStart: problem.stopsStart
            )
        }
        let stops = failures.contains { $0.stopsStart }
        return Report(reached: stops ? nil : path, failures: failures, chain: chain)
    }

    func script(_ path: String, head: [UInt8], depth: Int, chain: [String], scripts: [String]) -> Report {
        let shebang: Shebang
        do {
            shebang = try Shebang(parsing: head)
        } catch {
            let why =
                error == .truncated ? "its #! line has no end within 256 bytes" : "its #! line names no interpreter"
            return fail(.execFormat(path: path, why: why), .ENOEXEC, chain + ["\(path): \(why)"])
        }
        let interpreter = ImagePath.absolute(shebang.interpreter, in: workingDir)
        var chain = chain + ["\(path): script, \(Self.visible(shebang.line))"]
        switch openExec(interpreter) {
        case .failure(.lookup(let error)):
            let crlf = shebang.interpreter.hasSuffix("\r")
            let line =
                crlf
                ? "\(Self.visible(interpreter)) does not exist: the line ends in CRLF, and the kernel keeps the \\r in the name"
                : error.describe(for: interpreter)
            return fail(
                .missingShebangInterpreter(script: path, interpreter: shebang.interpreter, crlf: crlf), Errno(error),
                chain + [line])
        case .failure(.refused(let why)):
            return fail(.notExecutable(path: interpreter, why: why), .EACCES, chain + [describe(why, interpreter)])
        case .success(let (_, resolved)):
            var report = execve(
                interpreter, argv0: shebang.interpreter, depth: depth + 1, chain: chain, scripts: scripts)
            guard report.reached != nil else { return report }
            chain = report.chain
            if let command = shebang.envCommand {
                let env = EnvCommand(
                    invokedAs: shebang.interpreter, busybox: isBusybox(resolved),
                    utf8: environment.isUTF8Locale)
                let found = self.env(env, command: command, script: path, chain: chain)
                report.failures += found.failures
                report.chain = found.chain
                report.reached = found.reached.map { _ in path }
            } else {
                report.reached = path
            }
            return report
        }
    }

    /// env's `execvp(NAME)`: the first PATH directory holding an executable NAME. env prints its
    /// own message and exits 127 (not found) or 126 (found but not executable).
    private func env(_ env: EnvCommand, command: String, script: String, chain: [String]) -> Report {
        let candidates =
            command.contains("/")
            ? [ImagePath.absolute(command, in: workingDir)]
            : environment.pathDirectories.map {
                ImagePath.absolute(command, in: ImagePath.absolute($0, in: workingDir))
            }
        var refused: StartFailure?
        for candidate in candidates {
            switch openExec(candidate) {
            case .success:
                var report = execve(
                    candidate, argv0: command, depth: 0, chain: chain + ["env runs `\(command)`: \(candidate)"])
                report.failures = report.failures.map { failure in
                    guard let errno = failure.errno else { return failure }
                    var failure = failure
                    failure.message = env.message(command, errno)
                    failure.errno = nil
                    return failure
                }
                return report
            case .failure(.refused(let why)) where refused == nil:
                refused = StartFailure(
                    problem: .notExecutable(path: candidate, why: why), message: env.message(command, .EACCES),
                    chain: chain + [describe(why, candidate)])
            case .failure:
                continue
            }
        }
        if let refused { return Report(reached: nil, failures: [refused], chain: refused.chain) }
        let searched = "env looks for `\(command)` in PATH=\(environment["PATH"] ?? ""): not found (env exits 127)"
        let failure = StartFailure(
            problem: .envCommandNotFound(script: script, command: command, path: environment.pathDirectories),
            message: env.message(command, .ENOENT), chain: chain + [searched])
        return Report(reached: nil, failures: [failure], chain: failure.chain)
    }

    /// Whether a file is busybox: by name, or the same file as a `busybox` in the usual places
    /// (busybox installs its applets as symlinks or as hard links, which the tree keeps as copies).
    func isBusybox(_ path: String) -> Bool {
        if ImagePath.basename(path) == "busybox" { return true }
        guard case .success(let file) = tree.resolve(path) else { return false }
        let attributes = tree.attributes(of: file.node)
        return ["/bin/busybox", "/usr/bin/busybox", "/sbin/busybox"].contains { candidate in
            guard case .success(let other) = tree.resolve(candidate) else { return false }
            return other.node == file.node
                || (tree.attributes(of: other.node).size == attributes.size
                    && tree.content(of: other.node)?.head == tree.content(of: file.node)?.head)
        }
    }

    /// The loader's problems without those that only follow from another: once a library is
    /// missing, its symbols are undefined too; a symbol whose version is missing is the version
    /// problem again (glibc stops at the version check).
    /// The symbol versions the loader found missing, in the order it reported them.
    static func missingVersions(_ problems: [LinkProblem]) -> [String] {
        problems.compactMap { problem -> String? in
            if case .versionNotFound(let version, _, _, _, _, _) = problem { version } else { nil }
        }
    }

    static func consequential(_ problems: [LinkProblem]) -> [LinkProblem] {
        let libraryMissing = problems.contains { if case .libraryNotFound = $0 { true } else { false } }
        let missingVersions = missingVersions(problems)
        return problems.filter { problem in
            guard case .symbolNotFound(_, _, _, let message) = problem else { return true }
            return !libraryMissing && !missingVersions.contains { message.hasSuffix("version \($0)") }
        }
    }

    /// Regular files and symlinks with this name anywhere in the image (at most three).
    func files(named name: String) -> [String] { tree.files(named: name) }

    /// A `#!` line with its control characters shown (`\r` as `\r`).
    static func visible(_ text: String) -> String {
        text.replacing("\r", with: "\\r").replacing("\t", with: "\\t")
    }

    static func chain(of problem: LinkProblem) -> [String] {
        switch problem {
        case .libraryNotFound(let name, let neededBy, let searched, _):
            return [
                "\(neededBy) needs \(name)",
                "searched: " + (searched.isEmpty ? "(nothing)" : searched.joined(separator: ", ")),
            ]
        case .versionNotFound(let version, let library, let libraryPath, let requiredBy, let provided, _):
            let newest = provided.last.map { "; the newest it defines is \($0)" } ?? ""
            return [
                "\(requiredBy) needs \(version) from \(library)", "\(libraryPath) does not define \(version)\(newest)",
            ]
        case .symbolNotFound(let symbol, let requiredBy, let atStartup, _):
            return [
                "\(requiredBy) uses \(symbol), which no loaded object defines"
                    + (atStartup ? " (bound at start)" : " (bound lazily, at its first call)")
            ]
        case .interpreterUnusable(_, let detail, _):
            return [detail]
        case .incompletelyRead(let object, let unread):
            return ["\(object): \(unread) could not be read"]
        }
    }
}

extension LinkProblem {
    /// What the loader prints.
    var message: String {
        switch self {
        case .libraryNotFound(_, _, _, let message), .versionNotFound(_, _, _, _, _, let message),
            .symbolNotFound(_, _, _, let message), .interpreterUnusable(_, _, let message):
            message
        case .incompletelyRead:
            ""
        }
    }

    /// A lazily bound missing function fails at its first call, after the program started.
    var stopsStart: Bool {
        switch self {
        case .symbolNotFound(_, _, false, _), .incompletelyRead: false
        default: true
        }
    }
}

/// Which env runs a `#!/usr/bin/env NAME` line, for its exact wording.
struct EnvCommand {
    var invokedAs: String
    var busybox: Bool
    var utf8: Bool

    /// busybox: `env: can't execute 'NAME': No such file or directory`; coreutils:
    /// `/usr/bin/env: 'NAME': No such file or directory` (‘’ quotes in a UTF-8 locale).
    func message(_ command: String, _ errno: Errno) -> String {
        if busybox { return "env: can't execute '\(command)': \(errno.strerror)" }
        let quoted = utf8 ? "‘\(command)’" : "'\(command)'"
        return "\(invokedAs): \(quoted): \(errno.strerror)"
    }
}

extension Environment {
    /// Whether programs in the container run with a UTF-8 locale (LC_ALL, LC_CTYPE or LANG).
    var isUTF8Locale: Bool {
        let locale = self["LC_ALL"] ?? self["LC_CTYPE"] ?? self["LANG"] ?? ""
        return locale.lowercased().contains("utf-8") || locale.lowercased().contains("utf8")
    }
}
