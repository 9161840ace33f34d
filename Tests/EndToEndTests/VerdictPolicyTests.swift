import Foundation
import ImageAuditTestSupport
import Testing

/// One verdict everywhere (issue 14, items 2–3; not-judged: issue 12): text, JSON, SARIF and
/// JUnit show the verdict that sets the exit status under every --fail-on; unreadable inputs
/// are in every report; reports come in input order whatever --jobs.
@Suite struct VerdictPolicyTests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    /// Runs with text on stdout and JSON, JUnit, SARIF in files; the verdicts each shows.
    private func verdicts(_ arguments: [String]) throws -> (
        status: Int32, text: String, json: [String], junit: String, sarif: String
    ) {
        let result = try BuiltCLI.run(
            arguments + [
                "-o", "text", "-o", "json=\(scratch.path("v.json"))", "-o", "junit=\(scratch.path("v.xml"))",
                "-o", "sarif=\(scratch.path("v.sarif"))",
            ])
        let json = try CIScratch.json(try scratch.read("v.json"))
        let images = try #require(json["images"] as? [[String: Any]])
        return (
            result.status, result.stdoutText, images.map { $0["verdict"] as? String ?? "" }, try scratch.read("v.xml"),
            try scratch.read("v.sarif")
        )
    }

    /// The `level` of each SARIF result.
    private func resultLevels(_ sarif: String) throws -> [String] {
        let run = try #require((try CIScratch.json(sarif)["runs"] as? [[String: Any]])?.first)
        return (run["results"] as? [[String: Any]] ?? []).map { $0["level"] as? String ?? "" }
    }

    @Test("a warning-only image: pass and 0 by default, FAIL and 1 everywhere with --strict or --fail-on warning")
    func warningOnly() throws {
        // scratch-go-static starts (TestImages/expected.tsv) but its HEALTHCHECK program is missing.
        let image = CIScratch.image("scratch-go-static")
        let plain = try verdicts([image])
        #expect(plain.status == 0 && plain.json == ["pass"] && plain.text.contains("PASS"))
        #expect(
            plain.junit.contains("<property name=\"verdict\" value=\"pass\"/>")
                && plain.junit.contains("failures=\"0\""))
        #expect(try resultLevels(plain.sarif) == ["warning"])
        for flags in [["--strict"], ["--fail-on", "warning"]] {
            let strict = try verdicts([image] + flags)
            #expect(strict.status == 1, "\(flags)")
            #expect(strict.json == ["fail"] && strict.text.contains("FAIL  starts: /server"))
            #expect(strict.junit.contains("<property name=\"verdict\" value=\"fail\"/>"))
            #expect(strict.junit.contains("<testsuites name=\"imageaudit\" tests=\"2\" failures=\"1\" errors=\"0\">"))
            #expect(strict.sarif.contains("\"verdict\" : \"fail\""))
            #expect(try resultLevels(strict.sarif) == ["error"], "a warning that fails is an error in SARIF")
        }
        #expect(try BuiltCLI.run([image, "--strict", "--fail-on", "error"]).status == 64)
    }

    @Test("a start not judged: not-judged everywhere and 3; --strict FAIL and 1; --ignore not-judged PASS and 0")
    func notJudged() throws {
        // shell-read-command starts under runc, but its command is read from a file at run time.
        let image = CIScratch.image("shell-read-command")
        let run = try verdicts([image])
        #expect(run.status == 3 && run.json == ["not-judged"])
        #expect(run.text.contains("  NOT JUDGED  `exec $APP` (sh -c, line 1), sh -c not judged (see the warning): "))
        #expect(run.junit.contains("<property name=\"verdict\" value=\"not-judged\"/>"))
        #expect(run.junit.contains("<skipped type=\"not-judged\" message=\"not judged: `exec $APP`"))
        #expect(run.junit.contains("failures=\"0\" errors=\"0\" skipped=\"1\""))
        #expect(run.sarif.contains("\"verdict\" : \"not-judged\""))
        #expect(try resultLevels(run.sarif) == ["warning", "warning"])
        for flags in [["--allow-not-judged"], ["--fail-on", "never"]] {
            let allowed = try verdicts([image] + flags)
            #expect(allowed.status == 0 && allowed.json == ["not-judged"], "\(flags)")
            #expect(allowed.text.contains("NOT JUDGED") && allowed.sarif.contains("\"verdict\" : \"not-judged\""))
        }
        let strict = try verdicts([image, "--strict"])
        #expect(strict.status == 1 && strict.json == ["fail"] && strict.text.contains("FAIL  `exec $APP`"))
        #expect(try resultLevels(strict.sarif) == ["error", "error"])
        let ignored = try verdicts([image, "--ignore", "not-judged"])
        #expect(ignored.status == 0 && ignored.json == ["pass"] && ignored.text.contains("PASS  starts: "))
        #expect(ignored.junit.contains("skipped=\"0\"") && !ignored.junit.contains("<skipped"))
    }

    @Test("--fail-on never: the failing image is still shown failing, the status is 0")
    func never() throws {
        let run = try verdicts([CIScratch.image("entrypoint-missing"), "--fail-on", "never"])
        #expect(run.status == 0 && run.json == ["fail"] && run.text.contains("FAIL"))
        let bad = try BuiltCLI.run([CIScratch.image("entrypoint-missing"), "--fail-on", "sometimes"])
        #expect(bad.status == 64)
    }

    @Test(
        "unreadable inputs: JSON unreadable list, JUnit <error>, SARIF notification and executionSuccessful false, text"
    )
    func unreadable() throws {
        let missing = scratch.path("missing.tar")
        let run = try verdicts([CIScratch.image("scratch-static"), missing])
        #expect(run.status == 2)
        let json = try CIScratch.json(try scratch.read("v.json"))
        let unreadable = try #require(json["unreadable"] as? [[String: Any]])
        #expect(unreadable.map { $0["source"] as? String } == [missing])
        #expect(unreadable.first?["error"] as? String == "no such file or directory")
        #expect(run.junit.contains("errors=\"1\"") && run.junit.contains("<error type=\"unreadable-input\""))
        #expect(run.sarif.contains("\"executionSuccessful\" : false"))
        #expect(run.sarif.contains("\"text\" : \"\(missing): no such file or directory\""))
        #expect(run.text.contains("UNREADABLE \(missing): no such file or directory"))
    }

    @Test("input order whatever --jobs: text, JSON, JUnit and markdown list images as given")
    func order() throws {
        // A big image first, small ones after: with 4 jobs the small ones finish first.
        let names = [
            "distroless-go-cgo", "scratch-static", "no-entrypoint", "entrypoint-missing", "unknown-user",
            "nested-shebang",
        ]
        let paths = try names.enumerated().map { try scratch.copy($0.element, as: "in/\($0.offset)-\($0.element).tar") }
        let result = try BuiltCLI.run(
            paths + [
                "--jobs", "4", "-o", "text", "-o", "json=\(scratch.path("o.json"))", "-o",
                "junit=\(scratch.path("o.xml"))",
                "-o", "markdown=\(scratch.path("o.md"))", "-o", "text=\(scratch.path("o.txt"))",
            ])
        #expect(result.status == 1, "\(result.stderrText)")
        func order(_ text: String) -> [String] {
            paths.compactMap { path in text.range(of: path).map { (path, $0.lowerBound) } }.sorted { $0.1 < $1.1 }.map(
                \.0)
        }
        #expect(order(result.stdoutText) == paths)
        let images = try #require(try CIScratch.json(try scratch.read("o.json"))["images"] as? [[String: Any]])
        #expect(images.map { $0["source"] as? String ?? "" } == paths)
        #expect(order(try scratch.read("o.xml")) == paths)
        #expect(order(try scratch.read("o.md")) == paths)
        #expect(try scratch.read("o.txt") == result.stdoutText, "the text file is the text on stdout")
    }
}
