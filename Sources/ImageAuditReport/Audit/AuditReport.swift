import ImageAuditCheck

/// A tarball that could not be read: it was not judged.
public struct UnreadableInput: Sendable, Hashable {
    /// The path as given, or as found below a directory argument.
    public var source: String
    /// Why, one line.
    public var message: String

    public init(source: String, message: String) {
        self.source = source
        self.message = message
    }
}

/// Everything one run reports, in input order whatever `--jobs`: what every format renders.
public struct AuditReport: Sendable {
    /// The judged results (``AuditPolicy/apply(_:)`` already applied).
    public var results: [AuditResult]
    public var unreadable: [UnreadableInput]
    public var summary: AuditSummary
    public var policy: AuditPolicy
    /// Ignore rules whose `until` day has passed (no longer applied).
    public var expiredIgnores: [IgnoreRule]
    /// The command line's inputs as given (`-`, `oci:dir:tag`, a directory…).
    public var inputs: [String]
    public var toolVersion: String

    public init(
        results: [AuditResult], unreadable: [UnreadableInput] = [], summary: AuditSummary? = nil,
        policy: AuditPolicy = AuditPolicy(), expiredIgnores: [IgnoreRule] = [], inputs: [String] = [],
        toolVersion: String
    ) {
        self.results = results
        self.unreadable = unreadable
        self.policy = policy
        self.expiredIgnores = expiredIgnores
        self.inputs = inputs
        self.toolVersion = toolVersion
        if let summary {
            self.summary = summary
        } else {
            var counted = AuditSummary()
            counted.add(results)
            for _ in unreadable { counted.addUnreadable() }
            self.summary = counted
        }
    }

    /// The results of the older API judged under a policy (tests and library callers).
    public static func judging(_ results: [AuditResult], policy: AuditPolicy, toolVersion: String) -> AuditReport {
        AuditReport(results: results.map(policy.apply), policy: policy, toolVersion: toolVersion)
    }
}
