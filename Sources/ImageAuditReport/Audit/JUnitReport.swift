import ImageAuditCheck

/// `--format junit`: one `<testsuite>` per image, one `<testcase>` per check (`entrypoint`,
/// `healthcheck`, `executable:/usr/bin/x`). A check fails when it has an error finding, or a
/// warning under `--strict`; a check that leaves the start not judged is `<skipped>` (what CI
/// UIs show as neither passed nor failed); other warnings go to the test case's `<system-out>`.
public enum JUnitReport {
    /// Results judged with `--strict` or not (the older API).
    public static func render(_ results: [AuditResult], strict: Bool) -> String {
        render(AuditReport.judging(results, policy: AuditPolicy(strict: strict), toolVersion: "unknown"))
    }

    /// Suppressed findings and warnings that do not fail go to `<system-out>`; each unreadable
    /// input is a suite with one `read` case holding an `<error>`.
    public static func render(_ report: AuditReport) -> String {
        var suites: [String] = []
        var totalTests = 0
        var totalFailures = 0
        for result in report.results {
            let name = result.names.first ?? result.source
            var cases: [String] = []
            var failures = 0
            var skipped = 0
            for check in result.checks {
                let findings = result.findings.filter { $0.check == check }
                let failing = findings.filter(report.policy.fails)
                let passing = findings.filter { !report.policy.fails($0) }
                var body = ""
                let unjudged = failing.isEmpty ? findings.filter(\.leavesStartNotJudged) : []
                if !unjudged.isEmpty {
                    let what = unjudged.map(TextReport.headline).joined(separator: "; ")
                    body += "      <skipped type=\"not-judged\" message=\"\(xml("not judged: " + what))\"/>\n"
                    skipped += 1
                }
                for finding in failing {
                    body +=
                        "      <failure type=\"\(xml(finding.code.rawValue))\" message=\"\(xml(TextReport.headline(finding)))\">"
                        + xml(detail(finding)) + "</failure>\n"
                }
                if !passing.isEmpty {
                    body +=
                        "      <system-out>" + xml(passing.map(detail).joined(separator: "\n\n")) + "</system-out>\n"
                }
                if !failing.isEmpty { failures += 1 }
                let open = "    <testcase classname=\"\(xml(name))\" name=\"\(xml(check))\" time=\"0\""
                cases.append(body.isEmpty ? open + "/>" : open + ">\n" + body + "    </testcase>")
            }
            totalTests += result.checks.count
            totalFailures += failures
            let header =
                "  <testsuite name=\"\(xml(name))\" tests=\"\(result.checks.count)\" failures=\"\(failures)\""
                + " errors=\"0\" skipped=\"\(skipped)\" time=\"0\">\n"
                + "    <properties>\n"
                + "      <property name=\"source\" value=\"\(xml(result.source))\"/>\n"
                + "      <property name=\"platform\" value=\"\(xml(result.platform))\"/>\n"
                + "      <property name=\"os\" value=\"\(xml(result.identity.summary))\"/>\n"
                + "      <property name=\"verdict\" value=\"\(result.verdict.rawValue)\"/>\n"
                + "    </properties>\n"
            suites.append(header + cases.joined(separator: "\n") + "\n  </testsuite>")
        }
        for input in report.unreadable {
            suites.append(
                "  <testsuite name=\"\(xml(input.source))\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
                    + "    <testcase classname=\"\(xml(input.source))\" name=\"read\" time=\"0\">\n"
                    + "      <error type=\"unreadable-input\" message=\"\(xml(input.message))\">"
                    + xml("\(input.source): \(input.message)") + "</error>\n"
                    + "    </testcase>\n  </testsuite>")
        }
        let errors = report.unreadable.count
        // No skipped total here: <testsuites> has no such attribute in Jenkins' junit-10.xsd.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"imageaudit\" tests=\"\(totalTests + errors)\" failures=\"\(totalFailures)\""
            + " errors=\"\(errors)\">\n"
            + suites.joined(separator: "\n") + (suites.isEmpty ? "" : "\n") + "</testsuites>\n"
    }

    private static func detail(_ finding: Finding) -> String {
        var lines = [
            "\(finding.severity.rawValue)[\(finding.code.rawValue)] \(finding.path)", finding.message,
            "cause: \(finding.cause)",
        ]
        if let suppression = finding.suppression {
            lines.insert("suppressed: \(suppression.reason) (\(suppression.source))", at: 1)
        }
        lines += finding.chain.map { "  - \($0)" }
        lines += finding.fix.map { "fix: \($0)" }
        return lines.joined(separator: "\n")
    }

    /// XML 1.0 text and attribute escaping. Characters XML 1.0 forbids (C0 controls other than
    /// tab, LF, CR) are written as `\xNN`; CR is kept as a reference so CRLF findings stay visible.
    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\\x" + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
