import Foundation

extension BuiltCLI {
    /// Runs `imageaudit` in `directory` with `environment` added to (or, for `removing`, taken
    /// from) the test's own; output goes through files, so any size is fine.
    public static func run(
        _ arguments: [String], input: [UInt8] = [], environment: [String: String], removing: [String] = [],
        directory: URL? = nil
    ) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ExternalTools.ToolError(message: "\(path) not found: run `swift build --build-tests` first")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let files = ["in", "out", "err"].map { scratch.appendingPathComponent($0) }
        try Data(input).write(to: files[0])
        for file in files.dropFirst() { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for name in removing { merged[name] = nil }
        merged.merge(environment) { $1 }
        process.environment = merged
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = try FileHandle(forReadingFrom: files[0])
        process.standardOutput = try FileHandle(forWritingTo: files[1])
        process.standardError = try FileHandle(forWritingTo: files[2])
        try process.run()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: Array(try Data(contentsOf: files[1])),
            stderr: Array(try Data(contentsOf: files[2])))
    }
}
