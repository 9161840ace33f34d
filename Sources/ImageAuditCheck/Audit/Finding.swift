/// One thing the audit found: a value, never an error (the audit itself succeeded).
public struct Finding: Sendable, Hashable, Codable {
    /// The stable identifier (`docs/findings.md`).
    public var code: FindingCode
    public var severity: Severity
    /// Which check found it: `entrypoint`, `healthcheck` or `executable:/usr/bin/x`.
    public var check: String
    /// The file inside the image the finding is about (absolute), or the name that was looked up.
    public var path: String
    /// What the user will actually see when the container starts (or the healthcheck runs).
    public var message: String
    /// Why, in one sentence.
    public var cause: String
    /// The chain of reasons: file → interpreter or library → what was searched.
    public var chain: [String]
    /// What to change, most specific first; each line applies to this very image.
    public var fix: [String]
    /// For a `healthcheck-broken` finding: what is broken, as the entrypoint code would say.
    public var reason: FindingCode?
    /// Set by the run's policy (`--ignore`, the config file): accepted, shown but not counted.
    public var suppression: Suppression? = nil

    public init(
        code: FindingCode, severity: Severity = .error, check: String = "entrypoint", path: String, message: String,
        cause: String, chain: [String] = [], fix: [String] = [], reason: FindingCode? = nil
    ) {
        self.code = code
        self.severity = severity
        self.check = check
        self.path = path
        self.message = message
        self.cause = cause
        self.chain = chain
        self.fix = fix
        self.reason = reason
    }
}

/// Why a finding is accepted: the ignore rule's reason and where the rule came from.
public struct Suppression: Sendable, Hashable, Codable {
    public var reason: String
    /// `--ignore`, `IMAGEAUDIT_IGNORE` or the config file's path.
    public var source: String

    public init(reason: String, source: String) {
        self.reason = reason
        self.source = source
    }
}
