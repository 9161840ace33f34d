import ImageAuditCheck

/// The output formats of an audit.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case jsonl
    case sarif
    case junit
}

/// Renders audit results in one format.
public struct ReportRenderer: Sendable {
    public var format: ReportFormat
    public var text: TextReport
    /// `--strict`: warnings fail (JUnit failures; the exit status is ``ExitStatus``'s).
    public var strict: Bool
    public var toolVersion: String

    public init(format: ReportFormat, text: TextReport = TextReport(), strict: Bool = false, toolVersion: String) {
        self.format = format
        self.text = text
        self.strict = strict
        self.toolVersion = toolVersion
    }

    /// The whole report for these images.
    /// - Throws: only if JSON encoding fails, which plain values do not.
    public func render(_ results: [AuditResult]) throws -> String {
        switch format {
        case .text: return text.render(results)
        case .json: return try JSONReport.render(results) + "\n"
        case .jsonl: return try results.map { try JSONReport.line($0) + "\n" }.joined()
        case .sarif: return try SARIFReport.render(results, toolVersion: toolVersion) + "\n"
        case .junit: return JUnitReport.render(results, strict: strict)
        }
    }
}
