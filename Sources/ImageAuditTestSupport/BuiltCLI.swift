import Foundation

/// The `imageaudit` executable `swift build` put next to the test bundle (style.md §8).
public enum BuiltCLI {
    /// Its path; the tests fail with a clear message when it was not built.
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("imageaudit")
            .path
    }

    /// Runs `imageaudit` with `arguments`, feeding `input` on standard input.
    public static func run(_ arguments: [String], input: [UInt8] = []) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw ExternalTools.ToolError(message: "\(path) not found: run `swift build --build-tests` first")
        }
        return try ExternalTools.run(path, arguments, input: input)
    }
}
