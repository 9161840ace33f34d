import ImageAuditCheck

/// `--format gitlab`: GitLab's Code Quality report (a JSON array of issues: description,
/// check_name, fingerprint, severity, location.path). Suppressed findings are left out (the
/// format has no way to mark them); an unreadable input is a `blocker`. A finding that leaves the
/// start not judged is `major`, as a failing warning is: it sets the exit status (3).
public enum GitLabReport {
    public static func render(_ report: AuditReport, file: (String) -> String?) throws -> String {
        var issues: [Issue] = []
        for result in report.results {
            let name = result.names.first ?? result.source
            let repository = result.names.first.map(IgnoreRule.repository) ?? ""
            let path = file(result.source) ?? (result.source == "-" ? "Dockerfile" : result.source)
            for finding in result.findings where finding.suppression == nil {
                let fails = report.policy.fails(finding)
                issues.append(
                    Issue(
                        description: "\(name): \(finding.path.isEmpty ? "" : finding.path + ": ")"
                            + (finding.leavesStartNotJudged ? "not judged: " : "") + TextReport.headline(finding),
                        check_name: finding.code.rawValue,
                        fingerprint: SARIFReport.fingerprint([
                            finding.code.rawValue, finding.check, finding.path, repository,
                        ]),
                        severity: fails
                            ? (finding.severity == .error ? "critical" : "major")
                            : (finding.leavesStartNotJudged ? "major" : "minor"),
                        location: Location(path: path, lines: Lines(begin: 1))))
            }
        }
        for input in report.unreadable {
            issues.append(
                Issue(
                    description: "cannot read \(input.source): \(input.message)", check_name: "unreadable-input",
                    fingerprint: SARIFReport.fingerprint(["unreadable-input", input.source]), severity: "blocker",
                    location: Location(path: input.source, lines: Lines(begin: 1))))
        }
        return try ReportJSON.encode(issues, pretty: true)
    }

    // Field names are GitLab's.
    // swiftlint:disable identifier_name
    struct Issue: Encodable {
        var description: String
        // swift-format-ignore: AlwaysUseLowerCamelCase
        var check_name: String
        var fingerprint: String
        var severity: String
        var location: Location
    }
    // swiftlint:enable identifier_name

    struct Location: Encodable {
        var path: String
        var lines: Lines
    }

    struct Lines: Encodable { var begin: Int }
}
