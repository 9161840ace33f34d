import ImageAuditCheck

/// What a run accepts and what fails it: the ignore rules and `--fail-on`. Applied to each
/// result before any report is written, so every format shows the same verdict, the one the
/// exit status is computed from.
public struct AuditPolicy: Sendable, Hashable {
    public var failOn: FailOn
    /// Rules in force (expired ones are left out by whoever builds the policy, with a warning).
    public var ignores: [IgnoreRule]

    public init(failOn: FailOn = .error, ignores: [IgnoreRule] = []) {
        self.failOn = failOn
        self.ignores = ignores
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
        result.verdict = result.findings.contains(where: fails) ? .fail : .pass
        return result
    }

    /// The exit status these judged results give: 1 when one fails, unless `--fail-on never`.
    public func status(for results: [AuditResult]) -> Int32 {
        failOn != .never && results.contains { $0.verdict == .fail } ? ExitStatus.fail : ExitStatus.pass
    }
}
