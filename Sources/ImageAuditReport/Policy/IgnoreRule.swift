import Foundation
import ImageAuditCheck

/// One accepted finding: `--ignore CODE[:PATH]`, `IMAGEAUDIT_IGNORE` or an `ignore:` entry of
/// the config file. A matching finding is kept in every report, marked suppressed with the reason.
public struct IgnoreRule: Sendable, Hashable {
    /// The finding code (`missing-library`).
    public var code: String
    /// The path inside the image, exact or a glob (`/usr/lib/*`); nil: any path.
    public var path: String?
    /// An image name or tag pattern (`registry.example.com/team/*`); nil: every image.
    public var image: String?
    public var reason: String
    /// The last day the rule applies, `YYYY-MM-DD`; nil: no end.
    public var until: String?
    /// Where the rule came from: `--ignore`, `IMAGEAUDIT_IGNORE` or the config file's path.
    public var source: String

    public init(
        code: String, path: String? = nil, image: String? = nil, reason: String, until: String? = nil,
        source: String
    ) {
        self.code = code
        self.path = path
        self.image = image
        self.reason = reason
        self.until = until
        self.source = source
    }

    /// `CODE` or `CODE:PATH` as `--ignore` takes it; nil when the code is not a finding code.
    public init?(parsing text: String, source: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard FindingCode(rawValue: parts[0]) != nil else { return nil }
        let path = parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil
        self.init(code: parts[0], path: path, reason: "ignored by \(source)", source: source)
    }

    /// Whether the rule's `until` day is before `today` (both `YYYY-MM-DD`, so strings compare).
    public func isExpired(today: String) -> Bool {
        guard let until else { return false }
        return until < today
    }

    /// Whether this rule accepts `finding` of `image`.
    public func matches(_ finding: Finding, in result: AuditResult) -> Bool {
        guard finding.code.rawValue == code else { return false }
        if let path, !Self.glob(path, finding.path) { return false }
        if let image {
            let candidates = result.names + result.names.map(Self.repository) + [result.source]
            guard candidates.contains(where: { Self.glob(image, $0) }) else { return false }
        }
        return true
    }

    /// `registry.example.com/team/api:1.2@sha256:…` → `registry.example.com/team/api`.
    public static func repository(_ name: String) -> String {
        var name = name
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        if let colon = name[slash...].lastIndex(of: ":") { name = String(name[..<colon]) }
        return name
    }

    /// Shell-style pattern matching (`*` also crosses `/`).
    static func glob(_ pattern: String, _ text: String) -> Bool {
        fnmatch(pattern, text, 0) == 0
    }

    /// Today in UTC, `YYYY-MM-DD`.
    public static func today(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
