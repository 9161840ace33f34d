import Foundation
import ImageAuditTestSupport
import Testing

/// Defects 4 and 7 of issue 16: a scanned directory holding a FIFO, a device or broken symlinks
/// with tarball names. Nothing may block; each is one unreadable input with a one-line error.
@Suite struct HostileBulkTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The built CLI under `timeout`, so a regression fails the test instead of hanging the suite.
    private func run(_ arguments: [String]) throws -> ProcessResult {
        _ = try BuiltCLI.run(["--version"])
        return try ExternalTools.run(try ExternalTools.path(of: "timeout"), ["60", BuiltCLI.path] + arguments)
    }

    private func makeDirectory() throws -> String {
        let image = try Fixtures.readFile(Fixtures.root.appendingPathComponent("TestImages/scratch-static.tar").path)
        try Data(image).write(to: directory.appendingPathComponent("ok.tar"))
        #expect(mkfifo(directory.appendingPathComponent("a-fifo.tar").path, 0o644) == 0)
        let files = FileManager.default
        try files.createSymbolicLink(
            atPath: directory.appendingPathComponent("b-device.tar").path, withDestinationPath: "/dev/zero")
        try files.createSymbolicLink(
            atPath: directory.appendingPathComponent("c-dangling.tar").path, withDestinationPath: "nowhere.tar")
        try files.createSymbolicLink(
            atPath: directory.appendingPathComponent("d-loop.tar").path, withDestinationPath: "d-loop.tar")
        return directory.path
    }

    @Test(
        "FIFO, device, dangling and looping symlinks: refused unread, one line each, counted, exit 2",
        arguments: [1, 2])
    func refused(jobs: Int) throws {
        let root = try makeDirectory()
        let result = try run([root, "--quiet", "--jobs", "\(jobs)"])
        #expect(result.status == 2, "\(result.stderrText)")
        let errors = result.stderrText.split(separator: "\n").map(String.init).sorted()
        #expect(
            errors == [
                "error: \(root)/a-fifo.tar: not a regular file (a FIFO), refused unread",
                "error: \(root)/b-device.tar: not a regular file (a character device), refused unread",
                "error: \(root)/c-dangling.tar: no such file or directory",
                "error: \(root)/d-loop.tar: too many levels of symbolic links",
            ], "\(result.stderrText)")
        let lines = result.stdoutText.split(separator: "\n")
        // The unreadable inputs are listed in input order too (a-… to d-…, then ok.tar).
        #expect(lines.contains { $0.hasPrefix("PASS \(root)/ok.tar") }, "\(result.stdoutText)")
        #expect(lines.filter { $0.hasPrefix("UNREADABLE ") }.count == 4, "\(result.stdoutText)")
        #expect(
            lines.contains("5 tarballs, 1 image: 1 passed, 0 failed, 0 not judged, 4 unreadable"),
            "\(result.stdoutText)")
    }

    @Test("a FIFO named on the command line is still read: process substitution and pipes work")
    func namedFIFO() throws {
        let image = try Fixtures.readFile(Fixtures.root.appendingPathComponent("TestImages/scratch-static.tar").path)
        let fifo = directory.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        // The reader opens the FIFO (blocking, as asked) while the shell writes the image into it.
        let shell = try ExternalTools.run(
            "/bin/sh", ["-c", "timeout 60 '\(BuiltCLI.path)' '\(fifo)' --quiet & cat > '\(fifo)'; wait $!"],
            input: image)
        #expect(shell.status == 0, "\(shell.stderrText)")
        #expect(shell.stdoutText.hasPrefix("PASS \(fifo)"), "\(shell.stdoutText)")
    }
}
