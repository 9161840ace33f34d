import Foundation
import ImageAuditTestSupport
import Testing

/// `imageaudit inspect` as a user runs it: the built binary, its output and exit status.
@Suite struct InspectCommandTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imageaudit-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes a file into this test's folder and returns its path.
    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func sample(files: Int = 0) throws -> [UInt8] {
        let layer = try FixtureLayer(compression: .gzip) { tar in
            tar.add("bin/", .directory)
            tar.add("bin/app", .file(Array("#!/bin/sh\n".utf8)), mode: 0o4755, uid: 0, gid: 0)
            tar.add("bin/link", .symlink("app"))
            tar.add("dev/null", .characterDevice(major: 1, minor: 3), mode: 0o666)
            tar.add(
                "etc/os-release",
                .file(Array("ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n".utf8)))
            tar.add("home/user/", .directory, mode: 0o700, uid: 1000, gid: 1000)
            tar.add("lib/ld-musl-x86_64.so.1", .file([0x7f, 0x45, 0x4c, 0x46]), mode: 0o755)
            for number in 0..<files { tar.add("data/file\(number)", .file([])) }
        }
        let image = FixtureImage(
            names: ["sample:1"],
            runtimeJSON: """
                {"Entrypoint":["/bin/app"],"Cmd":["--serve"],"Env":["PATH=/bin","A=b"],"WorkingDir":"/srv","User":"app",\
                "Healthcheck":{"Test":["CMD-SHELL","curl -f localhost"]}}
                """,
            layers: [layer])
        return ImageTarballs.write(ImageTarballs.dockerSaveOCI([image]))
    }

    private func json(_ result: ProcessResult) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        return try #require(object?["images"] as? [[String: Any]])
    }

    @Test("text output: names, platform, distribution, libc, how it starts, counts")
    func text() throws {
        let path = try file("sample.tar", try sample())
        let result = try BuiltCLI.run(["inspect", path])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderrText)")
        let expected = [
            "\(path): sample:1", "  format:       docker-save-oci", "  platform:     linux/amd64",
            "  distribution: Alpine Linux v3.19 (/etc/os-release)", "  libc:         musl (/lib/ld-musl-x86_64.so.1)",
            "  entrypoint:   [\"/bin/app\"]", "  cmd:          [\"--serve\"]", "  env:          PATH=/bin",
            "                A=b", "  workdir:      /srv", "  user:         app",
            "  healthcheck:  CMD-SHELL curl -f localhost",
            "  layers:       1", "  files:        11",
        ]
        #expect(result.stdoutText.split(separator: "\n").map(String.init) == expected)
    }

    @Test("JSON with --files: every node with type, mode, owner, size and link target")
    func jsonFiles() throws {
        let result = try BuiltCLI.run(["inspect", "--format", "json", "--files", try file("sample.tar", try sample())])
        #expect(result.status == 0, "\(result.stderrText)")
        let image = try #require(try json(result).first)
        #expect(image["names"] as? [String] == ["sample:1"])
        #expect(image["libc"] as? String == "musl")
        #expect(image["entrypoint"] as? [String] == ["/bin/app"])
        let files = try #require(image["files"] as? [[String: Any]])
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0["path"] as? String ?? "", $0) })
        #expect(files.count == image["fileCount"] as? Int)
        #expect(byPath["/bin/app"]?["mode"] as? String == "4755" && byPath["/bin/app"]?["type"] as? String == "file")
        #expect(byPath["/bin/app"]?["size"] as? Int == 10)
        #expect(
            byPath["/bin/link"]?["type"] as? String == "symlink" && byPath["/bin/link"]?["target"] as? String == "app")
        #expect(byPath["/dev/null"]?["type"] as? String == "char" && byPath["/dev/null"]?["mode"] as? String == "0666")
        #expect(byPath["/home/user"]?["mode"] as? String == "0700" && byPath["/home/user"]?["uid"] as? Int == 1000)
        #expect(byPath["/home"]?["type"] as? String == "dir" && byPath["/home"]?["mode"] as? String == "0755")
    }

    @Test("standard input with -, and a gzip-compressed tarball")
    func stdinAndGzip() throws {
        let tar = try sample()
        let fromStdin = try BuiltCLI.run(["inspect", "--format", "json", "-"], input: tar)
        #expect(fromStdin.status == 0, "\(fromStdin.stderrText)")
        #expect(try json(fromStdin).first?["source"] as? String == "-")
        let gzipped = try file("sample.tar.gz", try ExternalTools.compress(tar, with: .gzip))
        #expect(try BuiltCLI.run(["inspect", gzipped]).status == 0)
    }

    @Test("a large --files listing is not cut (pipes drained while the tool runs)")
    func largeOutput() throws {
        let result = try BuiltCLI.run([
            "inspect", "--format", "json", "--files", try file("big.tar", try sample(files: 3000)),
        ])
        #expect(result.status == 0)
        #expect((try json(result).first?["files"] as? [Any])?.count == 3012)
    }

    @Test("unreadable tarballs: one line `error: FILE: problem`, exit 2, the others still inspected")
    func badInput() throws {
        let good = try file("good.tar", try sample())
        var notImage = TarWriter()
        notImage.add("README.md", .file(Array("hi".utf8)))
        let cases: [(String, String)] = [
            (try file("junk.tar", Array(repeating: 0x41, count: 4096)), "not a tar archive"),
            (try file("readme.tar", notImage.finished()), "not a container image tarball"),
            (try file("cut.tar", Array(try sample().prefix(3000))), "truncated"),
            (directory.appendingPathComponent("absent.tar").path, "no such file or directory"),
            (try file("empty.tar", []), "empty file, not a tar archive"),
        ]
        for (path, problem) in cases {
            let result = try BuiltCLI.run(["inspect", good, path])
            #expect(result.status == 2, "\(path)")
            let lines = result.stderrText.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("error: \(path): ") == true, "\(result.stderrText)")
            #expect(result.stderrText.lowercased().contains(problem), "\(result.stderrText)")
            #expect(result.stdoutText.hasPrefix("\(good): sample:1"))
        }
    }

    @Test(
        "usage errors exit 64",
        arguments: [
            ["inspect"], ["inspect", "--platform", "linux", "x.tar"], ["inspect", "--format", "yaml", "x.tar"],
            ["inspect", "-", "-"], ["inspect", "--bogus", "x.tar"],
        ])
    func usage(arguments: [String]) throws {
        let result = try BuiltCLI.run(arguments)
        #expect(result.status == 64, "\(result.stderrText)")
    }

    @Test("--platform and --image reach the reader")
    func selection() throws {
        let path = try file("sample.tar", try sample())
        let wrongPlatform = try BuiltCLI.run(["inspect", "--platform", "linux/arm64", path])
        #expect(wrongPlatform.status == 2 && wrongPlatform.stderrText.contains("it has linux/amd64"))
        #expect(try BuiltCLI.run(["inspect", "--image", "docker.io/library/sample:1", path]).status == 0)
        #expect(try BuiltCLI.run(["inspect", "--image", "other", path]).stderrText.contains("no image named other"))
    }
}
