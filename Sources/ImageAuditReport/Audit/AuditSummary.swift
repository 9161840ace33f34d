import ImageAuditCheck

/// The totals of a bulk audit: inputs read or not, images passed, failed or not judged, and the codes
/// that made images fail most often (each failed image counts once, by its first error).
public struct AuditSummary: Sendable, Hashable {
    /// Inputs given (after directories and registry listings were expanded and the shard
    /// chosen): tarballs, layouts, registry references. Named `tarballs` in the JSON summary.
    public var tarballs = 0
    /// What the inputs are, for the text: `tarball`, `reference` (registry images) or `input` (both).
    public var inputNoun = "tarball"
    /// Images audited.
    public var images = 0
    public var passed = 0
    public var failed = 0
    /// Images with no failure whose start was not fully judged (verdict `not-judged`).
    public var notJudged = 0
    /// Tarballs that could not be read.
    public var unreadable = 0
    /// Inputs left out with a note: a registry tag that is not an image (a signature, an
    /// SBOM), a repository of the catalog with no tags.
    public var skipped = 0
    /// Findings accepted by an ignore rule (shown, not counted against their image).
    public var suppressed = 0
    /// How many failed images had each code as their first error.
    public var failureCodes: [String: Int] = [:]
    /// `--shard K/N`, when given.
    public var shard: String?

    public init(shard: String? = nil) {
        self.shard = shard
    }

    /// Counts one tarball that was read, with its images' results judged under `strict`.
    public mutating func add(_ results: [AuditResult], strict: Bool) {
        add(results.map(AuditPolicy(strict: strict).apply))
    }

    /// Counts one tarball that was read, with its judged results (``AuditPolicy/apply(_:)``).
    public mutating func add(_ results: [AuditResult]) {
        tarballs += 1
        for result in results {
            images += 1
            suppressed += result.findings.filter { $0.suppression != nil }.count
            switch result.verdict {
            case .pass:
                passed += 1
                continue
            case .notJudged:
                notJudged += 1
                continue
            case .fail: break
            }
            failed += 1
            let counted = result.findings.filter { $0.suppression == nil }
            let first = counted.first { $0.severity == .error } ?? counted.first
            if let first { failureCodes[first.code.rawValue, default: 0] += 1 }
        }
    }

    /// Counts one tarball that could not be read.
    public mutating func addUnreadable() {
        tarballs += 1
        unreadable += 1
    }

    /// Counts one input left out with a note (``skipped``).
    public mutating func addSkipped() {
        tarballs += 1
        skipped += 1
    }

    /// The codes by count, most common first (ties by name), at most `limit`.
    public func topFailureCodes(_ limit: Int = 5) -> [(code: String, count: Int)] {
        failureCodes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit)
            .map { (code: $0.key, count: $0.value) }
    }

    /// Two lines for the end of a text report:
    /// `52 tarballs, 50 images: 34 passed, 14 failed, 2 not judged, 2 unreadable` (then
    /// `, 3 skipped` and `, 1 suppressed` when there are any) and
    /// `most common failures: missing-library 5, entrypoint-not-found 4`.
    public var text: String {
        let shardNote = shard.map { " (shard \($0))" } ?? ""
        var out =
            "\(Self.count(tarballs, inputNoun)), \(Self.count(images, "image"))\(shardNote): "
            + "\(passed) passed, \(failed) failed, \(notJudged) not judged, \(unreadable) unreadable"
            + (skipped > 0 ? ", \(skipped) skipped" : "")
            + (suppressed > 0 ? ", \(suppressed) suppressed" : "") + "\n"
        let top = topFailureCodes()
        if !top.isEmpty {
            out += "most common failures: " + top.map { "\($0.code) \($0.count)" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
