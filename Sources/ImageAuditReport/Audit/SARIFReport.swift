import ImageAuditCheck

/// `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it. One run; one rule per finding
/// code; one result per finding, located at the image tarball (line 1: a tarball has no lines),
/// with the path inside the image in the message and in `properties`.
public enum SARIFReport {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public static func render(_ results: [AuditResult], toolVersion: String) throws -> String {
        let rules = FindingCode.allCases
        let sources = orderedUnique(results.map(\.source))
        let run = Run(
            tool: Tool(driver: Driver(
                name: "imageaudit", version: toolVersion, semanticVersion: semantic(toolVersion),
                rules: rules.map(Rule.init))),
            artifacts: sources.map { Artifact(location: ArtifactLocation(uri: uri(for: $0), index: nil)) },
            results: results.flatMap { result in
                result.findings.map { finding in
                    SARIFResult(finding, image: result, ruleIndex: rules.firstIndex(of: finding.code) ?? 0,
                                artifactIndex: sources.firstIndex(of: result.source) ?? 0)
                }
            },
            invocations: [Invocation(executionSuccessful: true)])
        return try JSONReport.encode(Log(schema: schemaURI, version: "2.1.0", runs: [run]), pretty: true)
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
        var defaultConfiguration: Configuration
        var properties: RuleProperties

        init(_ code: FindingCode) {
            id = code.rawValue
            name = code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
            shortDescription = Text(text: code.title)
            fullDescription = Text(text: code.help)
            help = Text(text: code.help + " See docs/findings.md#\(code.rawValue).",
                        markdown: "\(code.help)\n\nSee [docs/findings.md](docs/findings.md#\(code.rawValue)).")
            let warning = code == .healthcheckBroken || code == .binaryNotAnalysed
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

    struct Invocation: Encodable { var executionSuccessful: Bool }

    struct SARIFResult: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var partialFingerprints: [String: String]
        var properties: ResultProperties

        init(_ finding: Finding, image: AuditResult, ruleIndex: Int, artifactIndex: Int) {
            ruleId = finding.code.rawValue
            self.ruleIndex = ruleIndex
            level = finding.severity == .error ? "error" : "warning"
            let name = image.names.first ?? image.source
            let inside = finding.path.isEmpty ? "" : " (\(finding.path) in the image)"
            message = Text(text: "\(name)\(inside): \(finding.message). \(finding.cause).", markdown: nil)
            locations = [Location(
                physicalLocation: PhysicalLocation(
                    artifactLocation: ArtifactLocation(uri: SARIFReport.uri(for: image.source), index: artifactIndex),
                    region: Region(startLine: 1)),
                logicalLocations: [LogicalLocation(fullyQualifiedName: "\(name):\(finding.path)")])]
            partialFingerprints = ["imageauditFinding/v1": SARIFReport.fingerprint(
                [image.source, name, finding.check, finding.code.rawValue, finding.path])]
            properties = ResultProperties(
                image: name, platform: image.platform, check: finding.check, pathInImage: finding.path,
                cause: finding.cause, chain: finding.chain, fix: finding.fix, reason: finding.reason?.rawValue)
        }
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
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
        var check: String
        var pathInImage: String
        var cause: String
        var chain: [String]
        var fix: [String]
        var reason: String?
    }
}
