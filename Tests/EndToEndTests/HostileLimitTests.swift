import Foundation
import ImageAuditTestSupport
import Testing

/// Defects 1, 2, 3 and 6 of issue 16: inputs beyond any real image stop the read with exit 2 and
/// one line naming the limit and its flag. Limits are lowered so the inputs stay small; the
/// defaults are measured by scripts/bench-hostile.sh, not here (no timing in unit tests).
@Suite struct HostileLimitTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent("hostile-\(UUID().uuidString).tar")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Exit 2 and exactly one line on standard error, ending in the limit and its flag.
    private func expectLimit(
        _ result: ProcessResult, _ what: String, limit: Int, flag: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 2, "\(result.stderrText)", sourceLocation: sourceLocation)
        let lines = result.stderrText.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(result.stderrText)", sourceLocation: sourceLocation)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: "), "\(line)", sourceLocation: sourceLocation)
        #expect(line.contains(what), "\(line)", sourceLocation: sourceLocation)
        #expect(
            line.hasSuffix(": more than the limit of \(limit) (raise it with --\(flag))"), "\(line)",
            sourceLocation: sourceLocation)
    }

    @Test("a layer listed more times than --max-layers stops; below it, the repeats are merged once each")
    func repeatedLayer() throws {
        let tarball = try write(try HostileCosts.repeatedLayer(entries: 300, times: 30))
        expectLimit(
            try BuiltCLI.run([tarball, "--max-layers", "20"]), "30 layers in one image", limit: 20, flag: "max-layers")
        expectLimit(
            try BuiltCLI.run([tarball, "--max-entries", "8000"]), "layer entries merged into one image by layer 27",
            limit: 8000, flag: "max-entries")
        let inspect = try BuiltCLI.run(["inspect", tarball])
        #expect(inspect.status == 0, "\(inspect.stderrText)")
        #expect(inspect.stdoutText.contains("layers:       30") && inspect.stdoutText.contains("files:        400"))
    }

    @Test("more files in the merged tree than --max-files: stops while merging")
    func treeNodes() throws {
        let tarball = try write(try HostileCosts.repeatedLayer(entries: 300, times: 1))
        expectLimit(
            try BuiltCLI.run([tarball, "--max-files", "250"]), "files in the merged tree after layer 1", limit: 250,
            flag: "max-files")
    }

    @Test("an ELF with more DT_NEEDED entries than --max-needed stops the read, naming the file")
    func needed() throws {
        let tarball = try write(try HostileCosts.manyNeeded(count: 300))
        expectLimit(
            try BuiltCLI.run([tarball, "--max-needed", "200"]), "app lists 300 DT_NEEDED libraries", limit: 200,
            flag: "max-needed")
    }

    @Test("under --max-needed, findings of one code are cut at --max-findings and the cut is counted")
    func findingsCut() throws {
        let tarball = try write(try HostileCosts.manyNeeded(count: 100))
        let result = try BuiltCLI.run([tarball, "--format", "json", "--max-findings", "5"])
        #expect(result.status == 1, "\(result.stderrText)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let images = try #require(document["images"] as? [[String: Any]])
        let findings = try #require(images.first?["findings"] as? [[String: Any]])
        #expect(findings.count == 6, "\(findings.count)")
        #expect(findings.last?["message"] as? String == "… and 95 more missing-library findings like these")
        let text = try BuiltCLI.run([tarball])
        #expect(
            text.stdoutText.components(separatedBy: "error[missing-library]").count == 34, "\(text.stdoutText.count)")
    }

    @Test("deep directory chains stop at --max-path-depth and --max-path-length")
    func deep() throws {
        let tarball = try write(try HostileCosts.deepDirectories(depth: 40))
        expectLimit(
            try BuiltCLI.run([tarball, "--max-path-depth", "30"]), "a path 31 directories deep", limit: 30,
            flag: "max-path-depth")
        expectLimit(
            try BuiltCLI.run([tarball, "--max-path-length", "50"]), "a path of 52 bytes", limit: 50,
            flag: "max-path-length")
    }

    @Test("millions of empty files: --max-entries stops the read, from a file and from standard input")
    func emptyFiles() throws {
        let bytes = try HostileCosts.collect { try HostileCosts.manyEmptyFiles(count: 3000, sink: $0) }
        let tarball = try write(bytes)
        let what = "layer entries in this tarball"
        expectLimit(try BuiltCLI.run([tarball, "--max-entries", "2000"]), what, limit: 2000, flag: "max-entries")
        expectLimit(
            try BuiltCLI.run(["-", "--max-entries", "2000"], input: bytes), what, limit: 2000, flag: "max-entries")
        expectLimit(
            try BuiltCLI.run(["-", "--max-name-bytes", "10000"], input: bytes), "bytes of entry names in this tarball",
            limit: 10000, flag: "max-name-bytes")
    }

    @Test("outer tar headers without end stop at --max-outer-entries, from a file and from standard input")
    func endlessOuter() throws {
        let bytes = try HostileCosts.collect { try HostileCosts.endlessOuter(count: 3000, sink: $0) }
        let tarball = try write(bytes)
        let what = "entries in the outer tarball"
        for arguments in [[tarball], ["-"]] {
            expectLimit(
                try BuiltCLI.run(arguments + ["--max-outer-entries", "1000"], input: bytes), what, limit: 1000,
                flag: "max-outer-entries")
        }
    }

    @Test("an endless layer on standard input stops at the entry limit, not at the end of the stream")
    func endlessLayer() throws {
        let bytes = try HostileCosts.collect { try HostileCosts.endlessLayer(count: 5000, sink: $0) }
        expectLimit(
            try BuiltCLI.run(["-", "--max-entries", "1000"], input: bytes), "layer layer.tar: layer entries",
            limit: 1000,
            flag: "max-entries")
    }

    @Test("limits below 1 are usage errors")
    func usage() throws {
        let result = try BuiltCLI.run(["x.tar", "--max-entries", "0"])
        #expect(result.status == 64, "\(result.stderrText)")
    }
}
