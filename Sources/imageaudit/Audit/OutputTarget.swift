import ArgumentParser
import ImageAuditReport

/// One report to write: `-o FORMAT[=PATH]` (syft's convention); no path, or `-`, is stdout.
struct OutputTarget: Sendable, Hashable {
    var format: ReportFormat
    /// nil: standard output.
    var path: String?

    /// Parses `FORMAT` or `FORMAT=PATH`; `origin` names where the value came from for errors.
    init(parsing text: String, origin: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let format = ReportFormat(rawValue: parts[0]) else {
            let known = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(origin): unknown format '\(parts[0])' in '\(text)' (formats: \(known))")
        }
        if parts.count == 2 && parts[1].isEmpty { throw ValidationError("\(origin): '\(text)' has an empty path") }
        self.format = format
        path = parts.count == 2 && parts[1] != "-" ? parts[1] : nil
    }

    init(format: ReportFormat, path: String? = nil) {
        self.format = format
        self.path = path
    }

    /// The targets of a run: `-o` values, then `--format` as one more stdout target; text on
    /// stdout when neither is given. At most one target may be stdout, and no file twice.
    static func plan(outputs: [(value: String, origin: String)], format: ReportFormat?) throws -> [OutputTarget] {
        var targets = try outputs.map { try OutputTarget(parsing: $0.value, origin: $0.origin) }
        if let format { targets.append(OutputTarget(format: format)) }
        if targets.isEmpty { targets = [OutputTarget(format: .text)] }
        if targets.filter({ $0.path == nil }).count > 1 {
            throw ValidationError("only one report can go to standard output: give the others a path (-o FORMAT=PATH)")
        }
        let paths = targets.compactMap(\.path)
        if let repeated = paths.first(where: { path in paths.filter { $0 == path }.count > 1 }) {
            throw ValidationError("two reports would be written to \(repeated)")
        }
        return targets
    }
}
