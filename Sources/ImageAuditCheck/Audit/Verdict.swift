/// Whether the container would reach its program's own code: a PASS is a promise, so what the
/// audit could not judge is neither a pass nor a failure (docs/exit-codes.md).
public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
    case pass
    case fail
    /// No failure found, but part of the start could not be judged (``Finding/leavesStartNotJudged``).
    case notJudged = "not-judged"

    /// The one rule every policy and every report uses: `fail` when a finding fails the image,
    /// else `notJudged` when an unsuppressed finding leaves the start not judged, else `pass`.
    public static func judging(_ findings: [Finding], fails: (Finding) -> Bool) -> Verdict {
        if findings.contains(where: fails) { return .fail }
        return findings.contains(where: \.leavesStartNotJudged) ? .notJudged : .pass
    }
}

extension FindingCode {
    /// The codes that say the audit could not judge what they are about (a start path it cannot
    /// follow statically, a binary it could not analyse or read in full). Whatever the
    /// severity: an error of these codes is still a failure first.
    public static let notJudgedCodes: Set<FindingCode> = [.notJudged, .binaryNotAnalysed, .elfIncompletelyRead]
}

extension Finding {
    /// Whether this finding leaves the image's start not judged: unsuppressed, of a
    /// ``FindingCode/notJudgedCodes`` code, and on the start path (the `entrypoint` check, which
    /// follows the program the image means to run: shells, scripts, wrappers, interpreters and
    /// the modules they import). A HEALTHCHECK, `--all-executables` or `--all-modules` check that
    /// cannot be judged does not decide whether the image starts.
    public var leavesStartNotJudged: Bool {
        suppression == nil && check == "entrypoint" && FindingCode.notJudgedCodes.contains(code)
    }
}
