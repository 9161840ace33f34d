import ImageAuditFS
import ImageAuditOCI

/// An image to audit, as the tarball reader produced it.
public struct ImageUnderAudit: Sendable {
    /// Where it came from (the tarball path as given).
    public var source: String
    /// Its names (repository tags), if the tarball records any.
    public var names: [String]
    public var config: ImageConfig
    /// The merged filesystem.
    public var tree: FileTree

    public init(source: String, names: [String], config: ImageConfig, tree: FileTree) {
        self.source = source
        self.names = names
        self.config = config
        self.tree = tree
    }
}

/// The audit of one image: identity, what starts, the verdict and the findings.
public struct AuditResult: Sendable, Hashable, Codable {
    public var source: String
    public var names: [String]
    /// `os/arch[/variant]` from the config.
    public var platform: String
    public var identity: ImageIdentity
    /// The process the container starts (after overrides).
    public var argv: [String]
    /// The `User` it runs as (empty: root).
    public var user: String
    /// Every check that ran: `entrypoint`, `healthcheck`, `executable:/usr/bin/x` …
    public var checks: [String]
    public var findings: [Finding]
    /// `fail` exactly when a finding of severity error exists, else `notJudged` when a finding
    /// leaves the start not judged (``Verdict/judging(_:fails:)``); a run's policy may re-judge it
    /// (suppressed findings, `--fail-on warning`), and every report shows that one verdict.
    public var verdict: Verdict
    /// The digest of the image manifest, when the tarball has one.
    public var manifestDigest: String? = nil
    /// The digest of the config blob (the image ID), when known.
    public var configDigest: String? = nil
    /// One-line notes about the tarball that are not findings: manifests skipped because they
    /// hold no image (signatures, attestations, artifacts).
    public var notes: [String] = []

    public init(
        source: String, names: [String], platform: String, identity: ImageIdentity, argv: [String], user: String,
        checks: [String], findings: [Finding]
    ) {
        self.source = source
        self.names = names
        self.platform = platform
        self.identity = identity
        self.argv = argv
        self.user = user
        self.checks = checks
        self.findings = findings
        verdict = Verdict.judging(findings) { $0.severity == .error }
    }

    /// Whether any finding is a warning.
    public var hasWarnings: Bool { findings.contains { $0.severity == .warning } }
}
