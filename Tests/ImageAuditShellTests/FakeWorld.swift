import ImageAuditShell

/// A small filesystem for the evaluator: executables, plain files (with text) and directories.
struct FakeWorld {
    var executables: Set<String> = []
    var files: [String: String] = [:]
    var directories: Set<String> = ["/", "/bin", "/usr/bin", "/usr/local/bin", "/tmp"]

    init(executables: [String] = [], files: [String: String] = [:], directories: [String] = []) {
        self.executables = Set(executables)
        self.files = files
        self.directories.formUnion(directories)
        for path in executables + Array(files.keys) {
            var parent = path
            while let slash = parent.lastIndex(of: "/"), slash != parent.startIndex {
                parent = String(parent[..<slash])
                self.directories.insert(parent)
            }
        }
    }

    var world: ShellWorld {
        let executables = executables
        let files = files
        let directories = directories
        return ShellWorld(
            resolveCommand: { name, path, workingDir in
                for candidate in ShellPathSearch.candidates(for: name, path: path, workingDir: workingDir) {
                    if executables.contains(candidate) { return .found(candidate) }
                    if name.contains("/") {
                        if directories.contains(candidate) { return .isDirectory(candidate) }
                        if files[candidate] != nil { return .permissionDenied(candidate) }
                    }
                }
                return .notFound
            },
            testFile: { test, path in
                switch test {
                case .exists: executables.contains(path) || files[path] != nil || directories.contains(path)
                case .regular: executables.contains(path) || files[path] != nil
                case .directory: directories.contains(path)
                case .executable: executables.contains(path) || directories.contains(path)
                case .readable: executables.contains(path) || files[path] != nil || directories.contains(path)
                default: nil
                }
            },
            readFile: { path in files[path].map { .text($0) } ?? .notFound })
    }
}

/// Standard binaries of a Debian-like image.
let debianBinaries = [
    "/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/env", "/usr/bin/id", "/bin/chown", "/bin/mkdir", "/bin/ls",
    "/usr/bin/find", "/usr/sbin/gosu", "/usr/bin/python3", "/usr/local/bin/node", "/usr/local/bin/server",
    "/bin/cat", "/bin/echo", "/usr/bin/sed", "/bin/grep",
]

let debianPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

extension ShellEvaluator {
    static func debian(_ dialect: ShellDialect = .dash, world: FakeWorld = FakeWorld(executables: debianBinaries))
        -> ShellEvaluator
    {
        ShellEvaluator(dialect: dialect, world: world.world)
    }

    /// `sh -c TEXT [NAME ARGS…]` with a Debian PATH.
    func commandString(
        _ text: String, name: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
        workingDir: String? = "/"
    ) -> ShellOutcome {
        var env = ["PATH": debianPath, "HOME": "/root"]
        env.merge(environment) { _, new in new }
        return run(
            text: text, invocation: .commandString(shellArgv0: "/bin/sh", name: name),
            arguments: arguments, environment: env, workingDir: workingDir)
    }

    /// A script file run with positional parameters.
    func script(
        _ text: String, path: String = "/usr/local/bin/docker-entrypoint.sh", arguments: [String],
        environment: [String: String] = [:], workingDir: String? = "/"
    ) -> ShellOutcome {
        var env = ["PATH": debianPath, "HOME": "/root"]
        env.merge(environment) { _, new in new }
        return run(
            text: text, invocation: .scriptFile(path: path), arguments: arguments, environment: env,
            workingDir: workingDir)
    }
}

extension ShellOutcome {
    /// The argv of each external step, in order, with its certainty.
    var argvs: [[String]] { steps.filter { $0.kind != .sourced }.map(\.argv) }
    var definiteArgvs: [[String]] { steps.filter { $0.kind != .sourced && $0.certainty == .definite }.map(\.argv) }
    var onlyEnding: ShellEnding? { endings.count == 1 ? endings[0] : nil }
    var failureMessages: [String] {
        endings.compactMap { if case .failure(let f) = $0.kind { f.messages } else { nil } }.flatMap { $0 }
            + steps.compactMap(\.failure).flatMap(\.messages).filter { _ in true }
    }
}
