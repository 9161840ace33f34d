import Foundation
import ImageAuditTestSupport
import Testing

/// What the CI end-to-end suites share: a scratch folder, test images, JSON and Python.
struct CIScratch {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imageaudit-ci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A file in the scratch folder.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// A TestImages tarball's path.
    static func image(_ name: String) -> String { Fixtures.root.appendingPathComponent("TestImages/\(name).tar").path }

    /// Copies a TestImages tarball into the scratch folder.
    func copy(_ image: String, as name: String) throws -> String {
        let target = path(name)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.image(image), toPath: target)
        return target
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text.prefix(300))")
    }

    /// Python with these modules importable.
    static func hasPython(_ modules: String...) -> Bool {
        (try? ExternalTools.run(
            try ExternalTools.path(of: "python3"), ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]
        ).status)
            == 0
    }

    static func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
        try ExternalTools.run(try ExternalTools.path(of: "python3"), ["-c", script] + arguments)
    }
}
