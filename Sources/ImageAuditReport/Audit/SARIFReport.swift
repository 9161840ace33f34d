import ImageAuditCheck

/// `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it. One run; one rule per finding
/// code; one result per finding, located at the image tarball (line 1: a tarball has no lines),
/// with the path inside the image in the message and in `properties`.
public enum SARIFReport {
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// Where results are anchored and where rule help lives.
    public struct Options: Sendable {
        /// `--sarif-location`: a repository file (the Dockerfile) every result points at.
        public var location: String?
        /// The directory relative tarball paths are resolved against (the working directory).
        public var workingDirectory: String?
        /// `--help-uri-base`: rule `helpUri`s are this plus `#code`.
        public var helpBase: String

        public static let defaultHelpBase = "https://github.com/imageaudit/imageaudit/blob/main/docs/findings.md"

        public init(location: String? = nil, workingDirectory: String? = nil, helpBase: String = defaultHelpBase) {
            self.location = location
            self.workingDirectory = workingDirectory
            self.helpBase = helpBase
        }
    }

    /// Results judged by the default policy (the older API).
    public static func render(_ results: [AuditResult], toolVersion: String) throws -> String {
        try render(AuditReport.judging(results, policy: AuditPolicy(), toolVersion: toolVersion), options: Options())
    }

    public static func render(_ report: AuditReport, options: Options) throws -> String {
        let rules = FindingCode.allCases
        let anchors = report.results.map { anchor(for: $0.source, options: options) }
        let uris = orderedUnique(anchors.compactMap { $0 })
        let results = zip(report.results, anchors).flatMap { result, anchor in
            result.findings.map { finding in
                SARIFResult(
                    finding, image: result, fails: report.policy.fails(finding),
                    ruleIndex: rules.firstIndex(of: finding.code) ?? 0,
                    location: anchor.map { ArtifactLocation(uri: $0, index: uris.firstIndex(of: $0)) })
            }
        }
        let notifications = report.unreadable.map { input in
            Notification(
                level: "error", message: Text(text: "\(input.source): \(input.message)", markdown: nil),
                descriptor: NotificationDescriptor(id: "unreadable-input"))
        }
        let run = Run(
            tool: Tool(
                driver: Driver(
                    name: "imageaudit", version: report.toolVersion, semanticVersion: semantic(report.toolVersion),
                    informationUri: options.helpBase, rules: rules.map { Rule($0, helpBase: options.helpBase) })),
            artifacts: uris.map { Artifact(location: ArtifactLocation(uri: $0, index: nil)) },
            results: results,
            invocations: [
                Invocation(
                    executionSuccessful: report.unreadable.isEmpty,
                    toolExecutionNotifications: notifications.isEmpty ? nil : notifications)
            ])
        return try JSONReport.encode(Log(schema: schemaURI, version: "2.1.0", runs: [run]), pretty: true)
    }

    /// The URI results of this tarball point at: `--sarif-location`, else the tarball's path
    /// relative to the working directory when it is inside it, else a `file://` URI; nil for
    /// standard input (no file to point at).
    static func anchor(for source: String, options: Options) -> String? {
        if let location = options.location { return uri(for: relative(location, to: options.workingDirectory)) }
        guard source != "-" else { return nil }
        return uri(for: relative(source, to: options.workingDirectory))
    }

    /// `path` relative to `directory` when it lies below it; other paths unchanged (an absolute
    /// one becomes `file://` in ``uri(for:)``, a relative one that climbs out absolute first).
    static func relative(_ path: String, to directory: String?) -> String {
        guard let directory else { return path }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        let absolute = path.hasPrefix("/") ? path : base + path
        let normalized = normalize(absolute)
        if normalized.hasPrefix(base) { return String(normalized.dropFirst(base.count)) }
        return normalized
    }

    /// `.` and `..` components removed (lexically).
    private static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A relative path stays relative (GitHub resolves it against the repository); an absolute
    /// one becomes a `file://` URI. Characters outside RFC 3986's unreserved set are escaped.
    static func uri(for path: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        var escaped = ""
        for byte in path.utf8 {
            if allowed.contains(byte) {
                escaped.append(Character(UnicodeScalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                escaped += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + escaped : escaped
    }

    /// "1.2.3" when the version looks like one, else nil.
    private static func semantic(_ version: String) -> String? {
        let parts = version.split(separator: ".")
        return parts.count == 3 && parts.allSatisfy({ Int($0) != nil }) ? version : nil
    }

    private static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// A stable identity for a finding across runs (FNV-1a, 64 bits), so code scanning
    /// matches alerts without source lines.
    static func fingerprint(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1f}").utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    // MARK: - SARIF objects (only the properties we fill)

    struct Log: Encodable {
        var schema: String
        var version: String
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var artifacts: [Artifact]
        var results: [SARIFResult]
        var invocations: [Invocation]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var version: String
        var semanticVersion: String?
        var informationUri: String
        var rules: [Rule]
    }

    struct Text: Encodable {
        var text: String
        var markdown: String?
    }

    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Text
        var helpUri: String
        var defaultConfiguration: Configuration
        var properties: RuleProperties

        init(_ code: FindingCode, helpBase: String) {
            id = code.rawValue
            helpUri = helpBase + "#" + code.rawValue
            name = code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            shortDescription = Text(text: code.title)
            fullDescription = Text(text: code.help)
            help = Text(
                text: code.help + " See \(helpUri).",
                markdown: "\(code.help)\n\nSee [\(code.rawValue)](\(helpUri)).")
            let warning = code == .healthcheckBroken || FindingCode.notJudgedCodes.contains(code)
            defaultConfiguration = Configuration(level: warning ? "warning" : "error")
            properties = RuleProperties(tags: ["container", "startup"])
        }
    }

    struct Configuration: Encodable { var level: String }
    struct RuleProperties: Encodable { var tags: [String] }

    struct Artifact: Encodable { var location: ArtifactLocation }

    struct ArtifactLocation: Encodable {
        var uri: String
        var index: Int?
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]?
    }

    struct Notification: Encodable {
        var level: String
        var message: Text
        var descriptor: NotificationDescriptor
    }

    struct NotificationDescriptor: Encodable { var id: String }

    struct SARIFSuppression: Encodable {
        var kind: String
        var status: String
        var justification: String
    }

    struct SARIFResult: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var partialFingerprints: [String: String]
        var suppressions: [SARIFSuppression]?
        var properties: ResultProperties

        /// `fails`: the finding fails its image under the run's policy; then the level is `error`
        /// whatever its severity, so code scanning gates on what the exit status gates on.
        init(_ finding: Finding, image: AuditResult, fails: Bool, ruleIndex: Int, location: ArtifactLocation?) {
            ruleId = finding.code.rawValue
            self.ruleIndex = ruleIndex
            level = fails || finding.severity == .error ? "error" : "warning"
            let name = image.names.first ?? image.source
            let inside = finding.path.isEmpty ? "" : " (\(finding.path) in the image)"
            let said = finding.message.isEmpty ? "" : "\(finding.message). "
            let unjudged = finding.leavesStartNotJudged ? "not judged: " : ""
            message = Text(text: "\(name)\(inside): \(unjudged)\(said)\(finding.cause).", markdown: nil)
            locations = [
                Location(
                    physicalLocation: location.map {
                        PhysicalLocation(artifactLocation: $0, region: Region(startLine: 1))
                    },
                    logicalLocations: [LogicalLocation(fullyQualifiedName: "\(name):\(finding.path)")])
            ]
            // The same finding in the next build of the same repository: never the tag, the
            // digest, the tarball's path or stdin, which change from build to build.
            let repository = image.names.first.map(IgnoreRule.repository) ?? ""
            partialFingerprints = [
                "imageauditFinding/v2": SARIFReport.fingerprint(
                    [finding.code.rawValue, finding.check, finding.path, repository])
            ]
            suppressions = finding.suppression.map {
                [SARIFSuppression(kind: "external", status: "accepted", justification: "\($0.reason) (\($0.source))")]
            }
            properties = ResultProperties(
                image: name, platform: image.platform, verdict: image.verdict.rawValue, check: finding.check,
                pathInImage: finding.path,
                cause: finding.cause, chain: finding.chain, fix: finding.fix, reason: finding.reason?.rawValue)
        }
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct Region: Encodable { var startLine: Int }
    struct LogicalLocation: Encodable { var fullyQualifiedName: String }

    struct ResultProperties: Encodable {
        var image: String
        var platform: String
        /// The image's verdict under the run's policy, the one the exit status follows.
        var verdict: String
        var check: String
        var pathInImage: String
        var cause: String
        var chain: [String]
        var fix: [String]
        var reason: String?
    }
}
