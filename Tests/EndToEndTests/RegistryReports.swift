import Foundation
import ImageAuditTestSupport

/// What the registry tests compare: a run's JSON images, and an image's report without the
/// keys that name where it came from (the same image read from its tarball must match).
enum RegistryReports {
    /// The JSON report's images, by source, with the run's status and output.
    static func images(_ arguments: [String], environment: [String: String] = [:], removing: [String] = []) throws
        -> (status: Int32, images: [[String: Any]], stderr: String, stdout: String)
    {
        let result = try BuiltCLI.run(arguments + ["-o", "json"], environment: environment, removing: removing)
        let json = try CIScratch.json(result.stdoutText)
        return (result.status, json["images"] as? [[String: Any]] ?? [], result.stderrText, result.stdoutText)
    }

    /// The image's report with `source` and `names` left out.
    static func comparable(_ image: [String: Any]) -> String {
        var image = image
        image["source"] = nil
        image["names"] = nil
        let data = try? JSONSerialization.data(withJSONObject: image, options: [.sortedKeys])
        return String(decoding: data ?? Data(), as: UTF8.self)
    }

    /// The comparable report of a TestImages tarball.
    static func tarballReport(_ name: String) throws -> String {
        let result = try images([CIScratch.image(name)])
        guard let image = result.images.first else { throw HarnessError("\(name): no image: \(result.stderr)") }
        return comparable(image)
    }

    /// The stderr lines that start with `prefix` (`error:`, `note:`).
    static func lines(_ stderr: String, _ prefix: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }
}
