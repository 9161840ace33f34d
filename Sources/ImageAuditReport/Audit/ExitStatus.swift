import ImageAuditCheck

/// The exit-code contract (docs/exit-codes.md).
public enum ExitStatus {
    /// Every image passes (warnings allowed unless strict).
    public static let pass: Int32 = 0
    /// Some image fails (or, with `--strict`, has warnings).
    public static let fail: Int32 = 1
    /// An input could not be read: it was not audited.
    public static let unreadable: Int32 = 2
    /// Bad usage (ArgumentParser's validation exit code).
    public static let usage: Int32 = 64

    /// The status for audited images: 1 when any fails, or with `strict` has a warning.
    public static func status(for results: [AuditResult], strict: Bool) -> Int32 {
        let failing = results.contains { $0.verdict == .fail || (strict && $0.hasWarnings) }
        return failing ? fail : pass
    }

    /// The worst of several statuses: unreadable (2) over fail (1) over pass (0).
    public static func worst(_ statuses: [Int32]) -> Int32 {
        statuses.contains(unreadable) ? unreadable : (statuses.contains(fail) ? fail : pass)
    }
}
