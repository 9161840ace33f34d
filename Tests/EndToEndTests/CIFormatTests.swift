import Foundation
import ImageAuditTestSupport
import Testing

/// The CI formats from the built CLI (issue 14, item 6): github workflow commands and the step
/// summary, GitLab Code Quality, Markdown; the same verdicts as the exit status.
@Suite struct CIFormatTests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    @Test("github: ::error per failing finding with the repository file, ::warning otherwise; step summary appended")
    func github() throws {
        _ = try scratch.copy("musl-missing-library", as: "app.tar")
        let summary = try scratch.write("summary.md", "earlier step\n")
        let result = try BuiltCLI.run(
            ["app.tar", CIScratch.image("scratch-go-static"), "-o", "github"],
            environment: ["GITHUB_STEP_SUMMARY": summary], directory: scratch.directory)
        #expect(result.status == 1)
        let lines = result.stdoutText.split(separator: "\n")
        #expect(
            lines.contains { $0.hasPrefix("::error file=app.tar,line=1,title=imageaudit missing-library%3A latest::") })
        #expect(lines.contains { $0.hasPrefix("::warning title=imageaudit healthcheck-broken%3A latest::") })
        #expect(lines.last == "imageaudit: 2 images, 1 passed, 1 failed, 0 not judged, 0 unreadable")
        let appended = try scratch.read("summary.md")
        #expect(appended.hasPrefix("earlier step\n## imageaudit: 2 images, 1 passed, 1 failed\n"))
        #expect(appended.contains("### ❌ FAIL `latest` (app.tar)"))
    }

    @Test("gitlab: a Code Quality array with check_name, fingerprint, severity and location.path")
    func gitlab() throws {
        _ = try scratch.copy("musl-missing-library", as: "app.tar")
        let result = try BuiltCLI.run(
            ["app.tar", "-o", "gitlab=gl-code-quality.json"], environment: [:],
            directory: scratch.directory)
        #expect(result.status == 1)
        let data = Data(try scratch.read("gl-code-quality.json").utf8)
        let issues = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(issues.count == 1)
        #expect(issues[0]["check_name"] as? String == "missing-library")
        #expect(issues[0]["severity"] as? String == "critical")
        #expect((issues[0]["fingerprint"] as? String)?.count == 16)
        #expect((issues[0]["location"] as? [String: Any])?["path"] as? String == "app.tar")
        #expect((issues[0]["description"] as? String)?.contains("libfoo.so.1") == true)
    }

    @Test("markdown: a heading and a table per image; --fail-on warning fails the warning-only image there too")
    func markdown() throws {
        let result = try BuiltCLI.run([CIScratch.image("scratch-go-static"), "--fail-on", "warning", "-o", "markdown"])
        #expect(result.status == 1)
        #expect(result.stdoutText.hasPrefix("## imageaudit: 1 image, 0 passed, 1 failed\n"))
        #expect(result.stdoutText.contains("| ❌ warning | `healthcheck-broken` | healthcheck | /usr/bin/curl |"))
    }
}
