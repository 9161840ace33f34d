import ImageAuditCheck

/// `--format markdown`: a heading and a table per image, for pull-request comments and
/// `$GITHUB_STEP_SUMMARY`; unreadable inputs listed after the images.
public enum MarkdownReport {
    public static func render(_ report: AuditReport) -> String {
        let summary = report.summary
        var out =
            "## imageaudit: \(summary.images) image\(summary.images == 1 ? "" : "s"), "
            + "\(summary.passed) passed, \(summary.failed) failed"
            + (summary.notJudged > 0 ? ", \(summary.notJudged) not judged" : "")
            + (summary.unreadable > 0 ? ", \(summary.unreadable) unreadable" : "")
            + (summary.suppressed > 0 ? ", \(summary.suppressed) suppressed" : "") + "\n"
        for result in report.results {
            let name = result.names.first.map { "`\(cell($0))` (\(cell(result.source)))" } ?? "`\(cell(result.source))`"
            let verdict =
                switch result.verdict {
                case .pass: "✅ PASS"
                case .fail: "❌ FAIL"
                case .notJudged: "❔ NOT JUDGED"
                }
            out += "\n### \(verdict) \(name)\n\n"
            out +=
                "\(cell(result.platform)), \(cell(result.identity.summary)); runs "
                + (result.argv.isEmpty ? "no command" : "`\(cell(result.argv.joined(separator: " ")))`") + "\n\n"
            guard !result.findings.isEmpty else {
                out += "No findings (checked: \(cell(result.checks.joined(separator: ", ")))).\n"
                continue
            }
            out += "| | code | check | path in the image | what users see | fix |\n|---|---|---|---|---|---|\n"
            for finding in result.findings {
                let mark =
                    finding.suppression.map { "suppressed: \(cell($0.reason))" }
                    ?? (report.policy.fails(finding)
                        ? "❌ \(finding.severity.rawValue)"
                        : finding.leavesStartNotJudged
                            ? "❔ not judged" : "⚠️ \(finding.severity.rawValue)")
                out +=
                    "| \(mark) | `\(finding.code.rawValue)` | \(cell(finding.check)) | \(code(finding.path)) | "
                    + "\(cell(TextReport.headline(finding))) | \(cell(finding.fix.first ?? "")) |\n"
            }
        }
        if !report.unreadable.isEmpty {
            out += "\n### Unreadable inputs\n\n"
            for input in report.unreadable { out += "- `\(cell(input.source))`: \(cell(input.message))\n" }
        }
        return out
    }

    /// Text safe in a table cell: no line breaks, `|` and markup characters escaped.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|", "\\", "`", "*", "_", "<", ">", "[", "]": out += "\\" + String(scalar)
            case "\n", "\r", "\t": out += " "
            default: if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private static func code(_ text: String) -> String { text.isEmpty ? "" : cell(text) }
}
