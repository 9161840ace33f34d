import ImageAuditCheck

/// The output formats of an audit.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case jsonl
    case sarif
    case junit
    case github
    case gitlab
    case markdown
}

/// Renders a run's report in one format.
public struct ReportRenderer: Sendable {
    public var format: ReportFormat
    public var text: TextReport
    /// `--strict` for the older API (``render(_:)-([AuditResult])``): warnings fail.
    public var strict: Bool
    public var toolVersion: String
    public var sarif: SARIFReport.Options

    public init(
        format: ReportFormat, text: TextReport = TextReport(), strict: Bool = false, toolVersion: String,
        sarif: SARIFReport.Options = SARIFReport.Options()
    ) {
        self.format = format
        self.text = text
        self.strict = strict
        self.toolVersion = toolVersion
        self.sarif = sarif
    }

    /// The report for these images judged with ``strict``.
    public func render(_ results: [AuditResult]) throws -> String {
        try render(AuditReport.judging(results, policy: AuditPolicy(strict: strict), toolVersion: toolVersion))
    }

    /// The whole report of a run. jsonl gives image lines only (the CLI streams those and
    /// adds unreadable and summary lines itself).
    /// - Throws: only if JSON encoding fails, which plain values do not.
    public func render(_ report: AuditReport) throws -> String {
        switch format {
        case .text: return text.render(report)
        case .json: return try JSONReport.render(report) + "\n"
        case .jsonl: return try report.results.map { try JSONReport.line($0) + "\n" }.joined()
        case .sarif: return try SARIFReport.render(report, options: sarif) + "\n"
        case .junit: return JUnitReport.render(report)
        case .github: return GitHubReport.render(report, file: repositoryFile)
        case .gitlab: return try GitLabReport.render(report, file: repositoryFile) + "\n"
        case .markdown: return MarkdownReport.render(report)
        }
    }

    /// The repository file a tarball's findings point at in CI annotations (as in SARIF).
    public func repositoryFile(_ source: String) -> String? {
        guard let uri = SARIFReport.anchor(for: source, options: sarif), !uri.hasPrefix("file:") else { return nil }
        return sarif.location.map { SARIFReport.relative($0, to: sarif.workingDirectory) }
            ?? SARIFReport.relative(source, to: sarif.workingDirectory)
    }
}
