import Foundation

/// What a finished process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs for tests: compressors for fixtures, the built `imageaudit` for end-to-end tests.
public enum ExternalTools {
    /// Runs `executable` with `arguments`, feeding `input` on standard input. Both output pipes
    /// are drained on their own threads before waiting, so large outputs cannot deadlock.
    public static func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        // A child that exits without reading its input must not kill the test run with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let group = DispatchGroup()
        let outBox = Box()
        let errBox = Box()
        for (pipe, box) in [(stdout, outBox), (stderr, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.bytes = Array(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        // Writing may block until the child reads; it ends when the child exits or reads all.
        let writer = stdin.fileHandleForWriting
        DispatchQueue.global().async {
            try? writer.write(contentsOf: Data(input))
            try? writer.close()
        }
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: outBox.bytes, stderr: errBox.bytes)
    }

    /// Compression programs the fixtures use (`gzip -n`, `zstd`), found on PATH.
    public enum Compressor: String, Sendable {
        case gzip
        case zstd
        case xz
    }

    /// `bytes` compressed by the real command-line tool (`gzip -n -c`, `zstd -q -c`, `xz -c`).
    public static func compress(_ bytes: [UInt8], with compressor: Compressor) throws -> [UInt8] {
        let arguments: [String] =
            switch compressor {
            case .gzip: ["-n", "-c"]
            case .zstd: ["-q", "-c"]
            case .xz: ["-c"]
            }
        let result = try run(try path(of: compressor.rawValue), arguments, input: bytes)
        guard result.status == 0 else { throw ToolError(message: "\(compressor) failed: \(result.stderrText)") }
        return result.stdout
    }

    /// The absolute path of a program on PATH.
    public static func path(of program: String) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError(message: "\(program) not found on PATH")
    }

    /// Why a tool could not be run.
    public struct ToolError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private final class Box: @unchecked Sendable {
        var bytes: [UInt8] = []
    }
}
