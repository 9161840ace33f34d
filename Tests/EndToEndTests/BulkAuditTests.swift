import Foundation
import ImageAuditTestSupport
import Testing

/// Bulk mode as a user runs it: directories and many tarballs in one call, `--jobs`,
/// `--format jsonl`, the summary, `--shard K/N`, unreadable tarballs among readable ones.
@Suite struct BulkAuditTests {
    /// Small TestImages with a known verdict (TestImages/expected.tsv).
    static let passing = ["scratch-static", "nested-shebang", "relative-entrypoint-workdir", "path-lookup-bare-name"]
    static let failing = ["entrypoint-missing", "no-exec-bit", "no-entrypoint", "unknown-user", "shell-form-no-sh"]

    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func testImage(_ name: String) throws -> [UInt8] {
        try Fixtures.readFile(Fixtures.root.appendingPathComponent("TestImages/\(name).tar").path)
    }

    /// Writes `bytes` at `relative` below `root` (default: this test's folder), making folders.
    @discardableResult
    private func write(_ relative: String, _ bytes: [UInt8], root: URL? = nil) throws -> String {
        let url = (root ?? directory).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The JSON objects of a jsonl output, one per line.
    private func lines(_ result: ProcessResult) throws -> [[String: Any]] {
        try result.stdoutText.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
    }

    /// Every source a jsonl output mentions, image lines and unreadable lines alike.
    private func sources(_ objects: [[String: Any]]) -> [String] {
        objects.compactMap { ($0["image"] as? [String: Any])?["source"] as? String }
            + objects.compactMap { ($0["unreadable"] as? [String: Any])?["source"] as? String }
    }

    /// A tree of tarballs: nested folders, a gzip-compressed tarball, names to skip, a broken one.
    private func makeTree() throws -> (root: URL, expected: Set<String>) {
        let root = directory.appendingPathComponent("export")
        var expected: Set<String> = []
        for (index, name) in (Self.passing + Self.failing).enumerated() {
            let relative = index % 3 == 0 ? "team-\(index % 2)/\(name).tar" : "\(name).tar"
            expected.insert(try write(relative, try testImage(name), root: root))
        }
        expected.insert(
            try write(
                "zipped/scratch.tar.gz", try ExternalTools.compress(try testImage("scratch-static"), with: .gzip),
                root: root))
        expected.insert(try write("broken/cut.tar", Array(try testImage("nested-shebang").prefix(3000)), root: root))
        try write("notes.txt", Array("not a tarball".utf8), root: root)
        try write(".hidden/skipped.tar", try testImage("scratch-static"), root: root)
        try write("team-0/.skipped.tar", try testImage("scratch-static"), root: root)
        return (root, expected)
    }

    @Test("a directory: every tarball below it, one jsonl line each as it finishes, an unreadable one reported, exit 2")
    func directoryInput() throws {
        let (root, expected) = try makeTree()
        let result = try BuiltCLI.run([root.path, "--format", "jsonl", "--jobs", "2"])
        #expect(result.status == 2, "\(result.stderrText)")
        let objects = try lines(result)
        #expect(Set(sources(objects)) == expected)
        #expect(sources(objects).count == expected.count)
        let verdicts = objects.compactMap { $0["image"] as? [String: Any] }.map { $0["verdict"] as? String ?? "" }
        #expect(verdicts.filter { $0 == "pass" }.count == Self.passing.count + 1)
        #expect(verdicts.filter { $0 == "fail" }.count == Self.failing.count)
        let errors = result.stderrText.split(separator: "\n")
        #expect(
            errors.count == 1 && errors[0].hasPrefix("error: \(root.path)/broken/cut.tar: "), "\(result.stderrText)")
        let summary = try #require(objects.last?["summary"] as? [String: Any])
        #expect(summary["tarballs"] as? Int == expected.count && summary["unreadable"] as? Int == 1)
        #expect(summary["passed"] as? Int == Self.passing.count + 1 && summary["failed"] as? Int == Self.failing.count)
        let codes = try #require(summary["failureCodes"] as? [[String: Any]])
        #expect(codes.map { $0["count"] as? Int ?? 0 }.reduce(0, +) == Self.failing.count)
    }

    @Test("many tarballs in text: each report, then the summary; failing images only → exit 1")
    func textSummary() throws {
        let paths = try (Self.passing + Self.failing).map { try write("\($0).tar", try testImage($0)) }
        let result = try BuiltCLI.run(paths + ["--quiet", "--jobs", "3"])
        #expect(result.status == 1 && result.stderr.isEmpty, "\(result.stderrText)")
        let text = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(text.filter { $0.hasPrefix("PASS ") }.count == Self.passing.count)
        #expect(text.filter { $0.hasPrefix("FAIL ") }.count == Self.failing.count)
        let total = Self.passing.count + Self.failing.count
        #expect(
            text.suffix(2).first
                == "\(total) tarballs, \(total) images: \(Self.passing.count) passed, \(Self.failing.count) failed, 0 not judged, 0 unreadable"
        )
        #expect(text.last?.hasPrefix("most common failures: ") == true, "\(text)")
    }

    @Test("--format json over several tarballs: one document, images in the order given, whatever finishes first")
    func jsonOrder() throws {
        let names = Self.failing + Self.passing
        let paths = try names.map { try write("\($0).tar", try testImage($0)) }
        let result = try BuiltCLI.run(paths + ["--format", "json", "--jobs", "4"])
        #expect(result.status == 1, "\(result.stderrText)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let images = try #require(document["images"] as? [[String: Any]])
        #expect(images.map { $0["source"] as? String ?? "" } == paths)
    }

    @Test("N shards run one by one: their union is the whole input set, no input twice, wherever the tree is mounted")
    func shards() throws {
        let (root, expected) = try makeTree()
        let count = 3
        var seen: [String] = []
        var assignment: [String: Int] = [:]
        for index in 1...count {
            let result = try BuiltCLI.run([
                root.path, "--format", "jsonl", "--shard", "\(index)/\(count)", "--jobs", "1",
            ])
            #expect(result.status <= 2, "\(result.stderrText)")
            let objects = try lines(result)
            let summary = try #require(objects.last?["summary"] as? [String: Any])
            #expect(summary["shard"] as? String == "\(index)/\(count)")
            for source in sources(objects) {
                seen.append(source)
                assignment[String(source.dropFirst(root.path.count))] = index
            }
        }
        #expect(Set(seen) == expected)
        #expect(seen.count == expected.count, "an input is in two shards")
        #expect(Set(assignment.values).count > 1, "every input fell into one shard")

        // The same tree under another mount point: each file stays in its shard.
        let moved = directory.appendingPathComponent("elsewhere/mnt")
        try FileManager.default.createDirectory(
            at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: root, to: moved)
        for index in 1...count {
            let result = try BuiltCLI.run([moved.path + "/", "--format", "jsonl", "--shard", "\(index)/\(count)"])
            for source in sources(try lines(result)) {
                #expect(assignment[String(source.dropFirst(moved.path.count))] == index, "\(source)")
            }
        }
    }

    @Test("the progress line is drawn only when standard error is a terminal")
    func progress() throws {
        let paths = try Self.passing.prefix(2).map { try write("\($0).tar", try testImage($0)) }
        let plain = try BuiltCLI.run(paths + ["--quiet"])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderrText)")
        // util-linux script(1) runs the command on a pseudo-terminal (stdout and stderr both).
        let command = ([BuiltCLI.path] + paths + ["--quiet", "--no-color"]).map { "'\($0)'" }.joined(separator: " ")
        let terminal = try ExternalTools.run("/usr/bin/script", ["-qec", command, "/dev/null"])
        #expect(terminal.status == 0, "\(terminal.stderrText)")
        #expect(terminal.stdoutText.contains("\r\u{1b}[K[1/2] 0 failed, 0 unreadable"), "\(terminal.stdoutText)")
        #expect(terminal.stdoutText.contains("[2/2]"))
    }

    @Test(
        "bad --shard and --jobs values are usage errors (64)",
        arguments: [
            ["--shard", "0/3"], ["--shard", "4/3"], ["--shard", "1/0"], ["--shard", "a/b"], ["--shard", "3"],
            ["--shard", "1/2/3"], ["--shard", "-1/2"], ["--shard", " 1/2"], ["--jobs", "0"], ["--jobs", "x"],
        ])
    func usageErrors(_ arguments: [String]) throws {
        let path = try write("a.tar", try testImage("scratch-static"))
        let result = try BuiltCLI.run([path] + arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderrText)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a directory without tarballs is an unreadable input; an empty shard is an empty, passing run")
    func emptyInputs() throws {
        try write("empty/readme.txt", Array("nothing".utf8))
        let empty = directory.appendingPathComponent("empty").path
        let result = try BuiltCLI.run([empty, "--format", "jsonl"])
        #expect(result.status == 2)
        #expect(result.stderrText.hasPrefix("error: \(empty): no tarballs here"), "\(result.stderrText)")

        let one = try write("one/a.tar", try testImage("scratch-static"))
        let shards = try (1...2).map { try BuiltCLI.run([one, "--shard", "\($0)/2", "--format", "jsonl"]) }
        #expect(shards.map(\.status) == [0, 0])
        let images = try shards.flatMap { try lines($0) }.filter { $0["image"] != nil }
        #expect(images.count == 1)
    }
}
