/// The output formats of an audit.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text
    case json
    case jsonl
    case sarif
    case junit
}
