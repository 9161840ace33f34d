import Foundation
import ImageAuditCheck

/// `--format json` and `jsonl`: the document described in docs/json-report.md and
/// docs/report.schema.json.
public enum JSONReport {
    /// The schema version; raised only for incompatible changes.
    public static let schemaVersion = 2

    /// The whole report of results judged by the default policy, pretty-printed.
    public static func render(_ results: [AuditResult]) throws -> String {
        try render(AuditReport.judging(results, policy: AuditPolicy(), toolVersion: "unknown"))
    }

    /// The whole report: tool, inputs, policy, images, unreadable inputs and the summary.
    public static func render(_ report: AuditReport) throws -> String {
        try encode(Document(report), pretty: true)
    }

    /// One image as a single line (`jsonl`; bulk mode streams these).
    public static func line(_ result: AuditResult) throws -> String {
        try encode(LineEntry(schemaVersion: schemaVersion, image: ImageEntry(result)), pretty: false)
    }

    static func encode(_ value: some Encodable, pretty: Bool) throws -> String {
        try ReportJSON.encode(value, pretty: pretty)
    }

    struct Document: Encodable {
        var schemaVersion: Int
        var tool: ToolEntry
        var inputs: [String]
        var policy: PolicyEntry
        var images: [ImageEntry]
        var unreadable: [UnreadableLine.Entry]
        var summary: SummaryEntry

        init(_ report: AuditReport) {
            schemaVersion = JSONReport.schemaVersion
            tool = ToolEntry(name: "imageaudit", version: report.toolVersion)
            inputs = report.inputs
            policy = PolicyEntry(
                failOn: report.policy.failOn.rawValue, allowNotJudged: report.policy.allowNotJudged,
                ignores: report.policy.ignores.map(IgnoreEntry.init),
                expiredIgnores: report.expiredIgnores.map(IgnoreEntry.init))
            images = report.results.map(ImageEntry.init)
            unreadable = report.unreadable.map { UnreadableLine.Entry(source: $0.source, error: $0.message) }
            summary = SummaryEntry(report.summary)
        }
    }

    struct ToolEntry: Encodable {
        var name: String
        var version: String
    }

    struct PolicyEntry: Encodable {
        var failOn: String
        var allowNotJudged: Bool
        var ignores: [IgnoreEntry]
        var expiredIgnores: [IgnoreEntry]
    }

    struct IgnoreEntry: Encodable {
        var code: String
        var path: String?
        var image: String?
        var reason: String
        var until: String?
        var source: String

        init(_ rule: IgnoreRule) {
            code = rule.code
            path = rule.path
            image = rule.image
            reason = rule.reason
            until = rule.until
            source = rule.source
        }
    }

    struct LineEntry: Encodable {
        var schemaVersion: Int
        var image: ImageEntry
    }

    struct OSEntry: Encodable {
        var id: String?
        var versionID: String?
        var name: String?
        var libc: String
        var libcVersion: String?
        var glibcCompat: Bool
    }

    struct ImageEntry: Encodable {
        var source: String
        var names: [String]
        var platform: String
        var manifestDigest: String?
        var configDigest: String?
        var os: OSEntry
        var argv: [String]
        var user: String
        var verdict: String
        var checks: [String]
        var findings: [FindingEntry]
        var notes: [String]?

        init(_ result: AuditResult) {
            source = result.source
            names = result.names
            platform = result.platform
            manifestDigest = result.manifestDigest
            configDigest = result.configDigest
            let identity = result.identity
            os = OSEntry(
                id: identity.distributionID, versionID: identity.versionID, name: identity.distributionName,
                libc: identity.libcName, libcVersion: identity.libcVersion, glibcCompat: identity.glibcCompat)
            argv = result.argv
            user = result.user
            verdict = result.verdict.rawValue
            checks = result.checks
            findings = result.findings.map(FindingEntry.init)
            notes = result.notes.isEmpty ? nil : result.notes
        }
    }

    struct FindingEntry: Encodable {
        var code: String
        var severity: String
        var check: String
        var path: String
        var message: String
        var cause: String
        var chain: [String]
        var fix: [String]
        var reason: String?
        var suppressed: SuppressedEntry?

        init(_ finding: Finding) {
            code = finding.code.rawValue
            severity = finding.severity.rawValue
            check = finding.check
            path = finding.path
            message = finding.message
            cause = finding.cause
            chain = finding.chain
            fix = finding.fix
            reason = finding.reason?.rawValue
            suppressed = finding.suppression.map { SuppressedEntry(reason: $0.reason, source: $0.source) }
        }
    }

    struct SuppressedEntry: Encodable {
        var reason: String
        var source: String
    }
}

extension JSONReport {
    /// The `jsonl` line for a tarball that could not be read:
    /// `{"schemaVersion":2,"unreadable":{"source":"x.tar","error":"truncated gzip input"}}`.
    public static func unreadableLine(source: String, error: String) throws -> String {
        try encode(
            UnreadableLine(schemaVersion: schemaVersion, unreadable: .init(source: source, error: error)), pretty: false
        )
    }

    /// The `jsonl` line for an input left out with a note (a registry tag that is not an image):
    /// `{"schemaVersion":2,"skipped":{"note":"not an image (cosign signature): skipped","source":"docker://…"}}`.
    public static func skippedLine(source: String, note: String) throws -> String {
        try encode(SkippedLine(schemaVersion: schemaVersion, skipped: .init(source: source, note: note)), pretty: false)
    }

    struct SkippedLine: Encodable {
        struct Entry: Encodable {
            var source: String
            var note: String
        }
        var schemaVersion: Int
        var skipped: Entry
    }

    /// The last `jsonl` line of a bulk run: `{"schemaVersion":2,"summary":{…}}`.
    public static func summaryLine(_ summary: AuditSummary) throws -> String {
        try encode(SummaryLine(schemaVersion: schemaVersion, summary: SummaryEntry(summary)), pretty: false)
    }

    struct UnreadableLine: Encodable {
        struct Entry: Encodable {
            var source: String
            var error: String
        }
        var schemaVersion: Int
        var unreadable: Entry
    }

    struct SummaryLine: Encodable {
        var schemaVersion: Int
        var summary: SummaryEntry
    }

    struct SummaryEntry: Encodable {
        struct CodeCount: Encodable {
            var code: String
            var count: Int
        }
        var tarballs: Int
        var images: Int
        var passed: Int
        var failed: Int
        var notJudged: Int
        var unreadable: Int
        var skipped: Int
        var suppressed: Int
        var failureCodes: [CodeCount]
        var shard: String?

        init(_ summary: AuditSummary) {
            tarballs = summary.tarballs
            images = summary.images
            passed = summary.passed
            failed = summary.failed
            notJudged = summary.notJudged
            unreadable = summary.unreadable
            skipped = summary.skipped
            suppressed = summary.suppressed
            failureCodes = summary.topFailureCodes(Int.max).map { CodeCount(code: $0.code, count: $0.count) }
            shard = summary.shard
        }
    }
}
