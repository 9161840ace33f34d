import ImageAuditCheck

/// The exit-code contract (docs/exit-codes.md).
public enum ExitStatus {
    /// Every image passes (warnings allowed unless strict).
    public static let pass: Int32 = 0
    /// Some image fails (or, with `--strict`, has warnings).
    public static let fail: Int32 = 1
    /// An input could not be read: it was not audited.
    public static let unreadable: Int32 = 2
    /// No image fails, but some image's start was not fully judged (verdict `not-judged`).
    public static let notJudged: Int32 = 3
    /// Bad usage (ArgumentParser's validation exit code).
    public static let usage: Int32 = 64

    /// The status for audited images: 1 when any fails, or with `strict` has a warning; else 3
    /// when any is not judged.
    public static func status(for results: [AuditResult], strict: Bool) -> Int32 {
        let failing = results.contains { $0.verdict == .fail || (strict && $0.hasWarnings) }
        return failing ? fail : (results.contains { $0.verdict == .notJudged } ? notJudged : pass)
    }

    /// The worst of several statuses: unreadable (2) over fail (1) over not judged (3) over pass (0).
    public static func worst(_ statuses: [Int32]) -> Int32 {
        [unreadable, fail, notJudged].first(where: statuses.contains) ?? pass
    }
}
