/// The version `imageaudit --version` prints. scripts/release.sh rewrites `imageAuditCommit` (and only
/// that line) in the source it builds from, so a release names its commit; a `swift build` says "dev".
public let imageAuditVersion = "0.1.0"
public let imageAuditCommit = "dev"

/// `--version`: "0.1.0 (commit 0123abcd4567)" for a release, "0.1.0 (dev)" for a local build.
public let imageAuditVersionLine =
    imageAuditCommit == "dev" ? "\(imageAuditVersion) (dev)" : "\(imageAuditVersion) (commit \(imageAuditCommit))"
