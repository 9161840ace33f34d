import Foundation
import ImageAuditTestSupport
import Testing

/// `--version` and `--help` (issue 14, item 10).
@Suite struct VersionHelpTests {
    @Test("--version: the version, the git commit built from, Swift, libarchive and ISA-L")
    func version() throws {
        let result = try BuiltCLI.run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(lines)")
        #expect(lines.first?.hasPrefix("imageaudit ") == true)
        // A commit of this repository (the plugin ran git at build time), or "unknown" outside git.
        let commit = try #require(lines.first { $0.hasPrefix("commit: ") }).dropFirst("commit: ".count)
        let hash = commit.hasSuffix("-dirty") ? String(commit.dropLast("-dirty".count)) : String(commit)
        if hash != "unknown" {
            #expect(hash.count == 12 && hash.allSatisfy(\.isHexDigit), "\(commit)")
            let known = try ExternalTools.run(
                try ExternalTools.path(of: "git"), ["-C", Fixtures.root.path, "cat-file", "-e", hash + "^{commit}"])
            #expect(known.status == 0, "\(commit) is not a commit of this repository")
        }
        #expect(lines.contains { $0.hasPrefix("swift: 6.") })
        #expect(lines.contains { $0.hasPrefix("libarchive: libarchive 3.") })
        #expect(lines.contains { $0.hasPrefix("isa-l: ISA-L 2.") })
    }

    @Test("--help leads with examples and names the documentation")
    func help() throws {
        for arguments in [["--help"], ["audit", "--help"]] {
            let text = try BuiltCLI.run(arguments).stdoutText
            let examples = try #require(text.range(of: "EXAMPLES:"))
            #expect(text.range(of: "USAGE:").map { examples.lowerBound < $0.lowerBound } == true, "\(arguments)")
            #expect(text.contains("docker save my-api:latest | imageaudit -"))
        }
        #expect(try BuiltCLI.run(["--help"]).stdoutText.contains("docs/options.md"))
        #expect(try BuiltCLI.run(["audit", "--help"]).stdoutText.contains("-o, --output <format[=path]>"))
    }
}
