import Foundation
import ImageAuditShell

/// Runs the real shells of this machine (dash, bash, busybox ash) in a scratch directory.
struct LiveShell {
    let dialect: ShellDialect
    /// The path the shell is started by (its argv[0], which it shows in messages).
    let path: String
    /// bash started as `sh`, which puts it in POSIX mode.
    var posix = false

    func evaluator(world: ShellWorld) -> ShellEvaluator {
        var evaluator = ShellEvaluator(dialect: dialect, world: world)
        evaluator.bashPOSIXMode = posix
        return evaluator
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    static let programs: [(ShellDialect, String)] = [
        (.dash, "/bin/dash"), (.bash, "/bin/bash"),
        (.busyboxAsh, "/bin/busybox"),
    ]

    static var anyPresent: Bool { programs.contains { FileManager.default.isExecutableFile(atPath: $0.1) } }

    /// The shells present here; busybox runs through a symlink named `sh`, as in images.
    /// An absent shell is skipped with a line on stderr.
    static func available(in directory: String) -> [LiveShell] {
        var shells: [LiveShell] = []
        let manager = FileManager.default
        for (_, program) in programs where !manager.isExecutableFile(atPath: program) {
            FileHandle.standardError.write(Data("skipped: \(program) is not on this machine\n".utf8))
        }
        if manager.isExecutableFile(atPath: "/bin/dash") { shells.append(LiveShell(dialect: .dash, path: "/bin/dash")) }
        if manager.isExecutableFile(atPath: "/bin/bash") {
            shells.append(LiveShell(dialect: .bash, path: "/bin/bash"))
            let directory = directory + "/bash-as-sh"
            try? manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? manager.createSymbolicLink(atPath: directory + "/sh", withDestinationPath: "/bin/bash")
            shells.append(LiveShell(dialect: .bash, path: directory + "/sh", posix: true))
        }
        if manager.isExecutableFile(atPath: "/bin/busybox") {
            let link = directory + "/sh"
            try? manager.createSymbolicLink(atPath: link, withDestinationPath: "/bin/busybox")
            shells.append(LiveShell(dialect: .busyboxAsh, path: link))
        }
        return shells
    }

    /// Runs the shell. A stub script written by this test process can be held open for writing by
    /// a child another test forked at that moment (fork copies every descriptor until exec): the
    /// exec then fails with ETXTBSY. That is the test harness, not the shell: run again (after
    /// `reset`, which undoes the run's side effects such as a log).
    func run(
        _ arguments: [String], in directory: String, environment: [String: String], reset: () -> Void = {}
    ) throws -> Result {
        var result = try runOnce(arguments, in: directory, environment: environment)
        for attempt in 1...5 where result.stderr.contains("Text file busy") {
            reset()
            usleep(UInt32(20_000 * attempt))
            result = try runOnce(arguments, in: directory, environment: environment)
        }
        return result
    }

    private func runOnce(_ arguments: [String], in directory: String, environment: [String: String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            status: process.terminationStatus)
    }
}

/// A scratch directory, removed when the value goes away.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("shell-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String, executable: Bool = false) throws {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: file)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

extension ShellWorld {
    /// The machine's own filesystem, for comparing with the real shells.
    static var host: ShellWorld {
        ShellWorld(
            resolveCommand: { name, path, workingDir in
                let manager = FileManager.default
                for candidate in ShellPathSearch.candidates(for: name, path: path, workingDir: workingDir) {
                    var isDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: candidate, isDirectory: &isDirectory) else { continue }
                    if isDirectory.boolValue {
                        if name.contains("/") { return .isDirectory(candidate) }
                        continue
                    }
                    if manager.isExecutableFile(atPath: candidate) { return .found(candidate) }
                    if name.contains("/") { return .permissionDenied(candidate) }
                }
                return .notFound
            },
            testFile: { test, path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                switch test {
                case .exists: return exists
                case .directory: return exists && isDirectory.boolValue
                case .regular: return exists && !isDirectory.boolValue
                case .executable: return FileManager.default.isExecutableFile(atPath: path)
                default: return nil
                }
            },
            readFile: { path in
                (try? String(contentsOfFile: path, encoding: .utf8)).map { .text($0) } ?? .notFound
            })
    }
}

extension ShellOutcome {
    /// The lines the shell prints on stderr, in order (a failure shown by a step and again by the ending once).
    var messages: [String] {
        var lines: [String] = []
        var shown: Set<Int> = []
        for (index, step) in steps.enumerated() {
            if let failure = step.failure {
                lines += failure.messages
                shown.insert(index)
            }
        }
        for ending in endings {
            if case .failure(let failure) = ending.kind, !(ending.step.map { shown.contains($0) } ?? false) {
                lines += failure.messages
            }
        }
        return lines
    }

    /// The exit status when the one ending knows it.
    var knownStatus: Int? {
        guard let ending = onlyEnding else { return nil }
        switch ending.kind {
        case .exit(let status): return status
        case .failure(let failure): return failure.status
        default: return nil
        }
    }
}
