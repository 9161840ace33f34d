import Foundation

/// Runs a program and collects its output: for checking against readelf, ld.so, go.
public enum Subprocess {
    /// The result of one run.
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `executable` with `arguments`, draining both pipes before waiting.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws
        -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain stderr on another queue so neither pipe can fill up and block the child.
        let errData = DataBox()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData.value = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// The first of `candidates` that exists and is executable.
    public static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Written once on the reading queue, read after `group.wait()`.
    private final class DataBox: @unchecked Sendable {
        var value = Data()
    }
}
