import Foundation
import ImageAuditTestSupport
import Testing

/// Defect 5 of issue 16: bytes from the image reach the terminal only as visible escapes, in the
/// text report, `inspect`, `tree` and the one-line errors alike (docs/security.md).
@Suite struct TerminalInjectionTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imageaudit-tty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Control bytes other than the report's own newlines (C0, DEL, and C1 in UTF-8: C2 80–9F).
    private func rawControls(_ bytes: [UInt8], newlines: Bool) -> [UInt8] {
        var found: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0a && newlines { continue }
            if byte < 0x20 || byte == 0x7f { found.append(byte) }
            if byte == 0xc2, index + 1 < bytes.count, (0x80...0x9f).contains(bytes[index + 1]) { found.append(0xc2) }
        }
        return found
    }

    @Test("a newline in User cannot forge a PASS line; ESC in the tag, Entrypoint, Env are shown as \\x1b")
    func auditText() throws {
        let tarball = try write("hostile.tar", try HostileImages.terminalInjection())
        for extra in [[], ["--quiet"]] {
            let result = try BuiltCLI.run([tarball, "--no-color"] + extra)
            #expect(result.status == 1, "\(result.stderrText)")
            #expect(rawControls(result.stdout, newlines: true).isEmpty, "\(Array(result.stdoutText.utf8))")
            let lines = result.stdoutText.split(separator: "\n")
            #expect(lines.filter { $0.contains("PASS") && !$0.contains("\\n") }.isEmpty, "\(result.stdoutText)")
            #expect(result.stdoutText.contains("\\x1b"), "\(result.stdoutText)")
        }
        let full = try BuiltCLI.run([tarball, "--no-color"])
        #expect(full.stdoutText.contains("root\\n  PASS  starts: /bin/app as root\\n"), "\(full.stdoutText)")
        #expect(full.stdoutText.contains("evil\\x1b[31m\\x07:x\\x08y"), "\(full.stdoutText)")
    }

    @Test("inspect and tree text: file names, Env, WorkingDir escaped")
    func inspectAndTree() throws {
        let tarball = try write("hostile.tar", try HostileImages.terminalInjection())
        let inspect = try BuiltCLI.run(["inspect", tarball, "--files"])
        #expect(inspect.status == 0, "\(inspect.stderrText)")
        #expect(rawControls(inspect.stdout, newlines: true).isEmpty, "\(inspect.stdoutText)")
        #expect(inspect.stdoutText.contains("/bin/\\x1b]0;pwned\\x07tool"), "\(inspect.stdoutText)")
        #expect(inspect.stdoutText.contains("X=\\x1b[1;1H\\r\\x7f"), "\(inspect.stdoutText)")
        #expect(inspect.stdoutText.contains("/\\x9b2J"), "\(inspect.stdoutText)")
        let tree = try BuiltCLI.run(["tree", tarball, "/" + HostileImages.escapeFile])
        #expect(tree.status == 2 || tree.status == 1, "\(tree.stderrText)")
        #expect(rawControls(tree.stdout, newlines: true).isEmpty, "\(tree.stdoutText)")
        #expect(rawControls(tree.stderr, newlines: true).isEmpty, "\(tree.stderrText)")
        #expect((tree.stdoutText + tree.stderrText).contains("\\x1b]0;pwned\\x07tool"), "\(tree.stderrText)")
    }

    @Test("error lines on standard error: the tarball's name and the names inside it escaped, one line")
    func errorLines() throws {
        let named = try write("bad\u{1b}[2J\u{7}name.tar", HostileImages.injectionInError())
        let result = try BuiltCLI.run([named])
        #expect(result.status == 2)
        let lines = result.stderrText.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderrText)")
        #expect(
            lines.first?.hasPrefix("error: \(directory.path)/bad\\x1b[2J\\x07name.tar: ") == true,
            "\(result.stderrText)")
        #expect(result.stderrText.contains("\\x1b[2Jgone\\n.tar"), "\(result.stderrText)")
        #expect(rawControls(result.stderr, newlines: true).isEmpty)
    }
}
