import ImageAuditCheck

/// What a run accepts and what fails it: the ignore rules and `--fail-on`. Applied to each
/// result before any report is written, so every format shows the same verdict, the one the
/// exit status is computed from.
public struct AuditPolicy: Sendable, Hashable {
    public var failOn: FailOn
    /// Rules in force (expired ones are left out by whoever builds the policy, with a warning).
    public var ignores: [IgnoreRule]
    /// `--allow-not-judged`: a not-judged image does not set the exit status (3); every report
    /// still shows it not judged.
    public var allowNotJudged: Bool

    public init(failOn: FailOn = .error, ignores: [IgnoreRule] = [], allowNotJudged: Bool = false) {
        self.failOn = failOn
        self.ignores = ignores
        self.allowNotJudged = allowNotJudged
    }

    /// `--strict` or not, no ignores: the policy of the older API.
    public init(strict: Bool) {
        self.init(failOn: strict ? .warning : .error)
    }

    /// Whether this finding fails its image: not suppressed, and an error (or a warning under
    /// `--fail-on warning`).
    public func fails(_ finding: Finding) -> Bool {
        finding.suppression == nil && (finding.severity == .error || failOn == .warning)
    }

    /// The result with matching findings suppressed and the verdict re-judged.
    public func apply(_ result: AuditResult) -> AuditResult {
        var result = result
        for index in result.findings.indices where result.findings[index].suppression == nil {
            if let rule = ignores.first(where: { $0.matches(result.findings[index], in: result) }) {
                result.findings[index].suppression = Suppression(reason: rule.reason, source: rule.source)
            }
        }
        result.verdict = Verdict.judging(result.findings, fails: fails)
        return result
    }

    /// The exit status these judged results give: 1 when one fails, else 3 when one is not
    /// judged (unless `--allow-not-judged`), else 0; always 0 under `--fail-on never`.
    public func status(for results: [AuditResult]) -> Int32 {
        guard failOn != .never else { return ExitStatus.pass }
        if results.contains(where: { $0.verdict == .fail }) { return ExitStatus.fail }
        if !allowNotJudged && results.contains(where: { $0.verdict == .notJudged }) { return ExitStatus.notJudged }
        return ExitStatus.pass
    }
}
