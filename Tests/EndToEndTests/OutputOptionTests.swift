import Foundation
import ImageAuditTestSupport
import Testing

/// `-o FORMAT[=PATH]`: many reports from one read, at most one on stdout, write failures are
/// a one-line error and status 2 (issue 14, item 1).
@Suite struct OutputOptionTests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    @Test("-o text -o sarif=… -o junit=… -o json=…: text on stdout, the others in files, one read")
    func manyReports() throws {
        let image = CIScratch.image("entrypoint-missing")
        let result = try BuiltCLI.run([
            image, "-o", "text", "-o", "sarif=\(scratch.path("a.sarif"))", "-o", "junit=\(scratch.path("a.xml"))",
            "-o", "json=\(scratch.path("a.json"))",
        ])
        #expect(result.status == 1, "\(result.stderrText)")
        #expect(result.stdoutText.contains("FAIL") && result.stdoutText.contains("entrypoint-not-found"))
        let json = try CIScratch.json(try scratch.read("a.json"))
        #expect((json["images"] as? [[String: Any]])?.first?["verdict"] as? String == "fail")
        #expect(try scratch.read("a.sarif").contains("\"ruleId\" : \"entrypoint-not-found\""))
        #expect(try scratch.read("a.xml").contains("<failure type=\"entrypoint-not-found\""))
        #expect(result.stderrText.isEmpty)
    }

    @Test("--format still works alone; two stdout reports or one file twice are usage errors (64)")
    func stdoutOnce() throws {
        let image = CIScratch.image("scratch-static")
        let json = try BuiltCLI.run([image, "--format", "json"])
        #expect(json.status == 0)
        #expect(try CIScratch.json(json.stdoutText)["schemaVersion"] as? Int == 2)
        #expect(try BuiltCLI.run([image, "-o", "text", "-o", "json"]).status == 64)
        #expect(try BuiltCLI.run([image, "-o", "text", "--format", "json"]).status == 64)
        let twice = scratch.path("same.json")
        #expect(try BuiltCLI.run([image, "-o", "json=\(twice)", "-o", "sarif=\(twice)"]).status == 64)
        #expect(try BuiltCLI.run([image, "-o", "yaml"]).status == 64)
    }

    @Test("a full disk (/dev/full) on stdout or as -o FILE: one-line error, status 2")
    func diskFull() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let image = CIScratch.image("scratch-static")
        let direct = try BuiltCLI.run([image, "-o", "json=/dev/full"])
        #expect(direct.status == 2)
        #expect(direct.stderrText == "error: /dev/full: cannot write the report: No space left on device\n")
        let shell = try ExternalTools.run(
            "/bin/sh", ["-c", "\"$0\" --format json \"$1\" > /dev/full", BuiltCLI.path, image])
        #expect(shell.status == 2)
        #expect(shell.stderrText == "error: standard output: cannot write the report: No space left on device\n")
    }

    @Test("a closed pipe is an error (status 2), not a silent death by SIGPIPE")
    func closedPipe() throws {
        let script = """
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
            sys.stderr.write(p.stderr.decode())
            sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
            """
        let result = try CIScratch.python(script, [BuiltCLI.path, CIScratch.image("scratch-static")])
        #expect(result.status == 2)
        #expect(result.stderrText == "error: standard output: cannot write the report: Broken pipe\n")
    }

    @Test("an unwritable path fails before anything is read: one line, status 2")
    func unwritable() throws {
        let path = scratch.path("no/such/dir/a.sarif")
        let result = try BuiltCLI.run([CIScratch.image("scratch-static"), "-o", "sarif=\(path)"])
        #expect(result.status == 2)
        #expect(result.stderrText == "error: \(path): cannot write the report: No such file or directory\n")
        #expect(result.stdoutText.isEmpty)
    }
}
