import ImageAuditCheck

/// `--format github`: one workflow command per finding (`::error title=…::…`), which GitHub
/// Actions shows as an annotation; findings that fail the image are errors, other warnings
/// warnings, suppressed findings notices. The CLI also appends ``MarkdownReport`` to
/// `$GITHUB_STEP_SUMMARY` when it is set.
public enum GitHubReport {
    /// `file`: the repository file annotations point at (`--sarif-location`, or the tarball
    /// inside the working directory); nil: no file.
    public static func render(_ report: AuditReport, file: (String) -> String?) -> String {
        var out = ""
        for result in report.results {
            let name = result.names.first ?? result.source
            let location = file(result.source).map { "file=\(property($0)),line=1," } ?? ""
            for finding in result.findings {
                let command =
                    finding.suppression != nil ? "notice" : (report.policy.fails(finding) ? "error" : "warning")
                let title = "imageaudit \(finding.code.rawValue): \(name)"
                var message =
                    (finding.path.isEmpty ? "" : "\(finding.path): ")
                    + (finding.leavesStartNotJudged ? "not judged: " : "")
                    + (finding.message.isEmpty ? "" : "\(finding.message). ") + "\(finding.cause)."
                if let suppression = finding.suppression { message = "suppressed (\(suppression.reason)): " + message }
                if let fix = finding.fix.first { message += "\nfix: \(fix)" }
                out += "::\(command) \(location)title=\(property(title))::\(data(message))\n"
            }
        }
        for input in report.unreadable {
            out += "::error title=\(property("imageaudit: cannot read \(input.source)"))::\(data(input.message))\n"
        }
        let summary = report.summary
        out +=
            "imageaudit: \(summary.images) images, \(summary.passed) passed, \(summary.failed) failed, "
            + "\(summary.notJudged) not judged, \(summary.unreadable) unreadable\n"
        return out
    }

    /// The escaping of a workflow command's message (GitHub's toolkit `escapeData`).
    static func data(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    /// The escaping of a property value (`escapeProperty`): also `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
