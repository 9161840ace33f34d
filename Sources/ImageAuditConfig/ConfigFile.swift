import Foundation
import Yams

/// `.imageaudit.yaml` (docs/config.md) read into plain values: a default for each flag, and
/// the ignore rules. Knows YAML, not the flags: the CLI says which keys exist and checks values.
public struct ConfigFile: Sendable, Hashable {
    /// The file it was read from, as named.
    public var path: String
    /// Flag name (`fail-on`, `jobs`, `output`) → its values: a scalar is one value, a list
    /// several, a boolean `true`/`false`.
    public var settings: [String: [String]]
    public var ignores: [Ignore]

    /// One `ignore:` entry.
    public struct Ignore: Sendable, Hashable {
        public var code: String
        public var path: String?
        public var image: String?
        public var reason: String
        /// `YYYY-MM-DD`.
        public var until: String?

        public init(code: String, path: String? = nil, image: String? = nil, reason: String, until: String? = nil) {
            self.code = code
            self.path = path
            self.image = image
            self.reason = reason
            self.until = until
        }
    }

    /// Reads and parses the file.
    public static func load(path: String, knownKeys: Set<String>) throws(ConfigError) -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(path: path, "cannot read the config file: \(Self.reason(error))")
        }
        return try parse(text, path: path, knownKeys: knownKeys)
    }

    /// Parses YAML text: a mapping of known keys; `ignore` a list of mappings.
    public static func parse(_ text: String, path: String, knownKeys: Set<String>) throws(ConfigError) -> ConfigFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(path: path, "not valid YAML: \(Self.reason(error))")
        }
        var config = ConfigFile(path: path, settings: [:], ignores: [])
        guard let root else { return config }
        guard let mapping = root.mapping else {
            throw ConfigError(path: path, "the top level must be a mapping of options")
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else { throw ConfigError(path: path, "keys must be option names") }
            if key == "ignore" {
                config.ignores = try ignores(value, path: path)
                continue
            }
            guard knownKeys.contains(key) else {
                throw ConfigError(
                    path: path, "unknown key '\(key)' (known: \(knownKeys.sorted().joined(separator: ", ")), ignore)")
            }
            if let scalar = value.scalar {
                config.settings[key] = [scalar.string]
            } else if let sequence = value.sequence {
                var values: [String] = []
                for item in sequence {
                    guard let scalar = item.scalar else {
                        throw ConfigError(path: path, "'\(key)' must list plain values")
                    }
                    values.append(scalar.string)
                }
                config.settings[key] = values
            } else {
                throw ConfigError(path: path, "'\(key)' must be a value or a list of values")
            }
        }
        return config
    }

    private static func ignores(_ node: Node, path: String) throws(ConfigError) -> [Ignore] {
        guard let sequence = node.sequence else { throw ConfigError(path: path, "'ignore' must be a list") }
        var rules: [Ignore] = []
        for (index, item) in sequence.enumerated() {
            let at = "ignore[\(index + 1)]"
            guard let mapping = item.mapping else { throw ConfigError(path: path, "\(at) must be a mapping") }
            var fields: [String: String] = [:]
            for (keyNode, value) in mapping {
                guard let key = keyNode.scalar?.string, ["code", "path", "image", "reason", "until"].contains(key)
                else {
                    throw ConfigError(path: path, "\(at): unknown key (known: code, path, image, reason, until)")
                }
                guard let scalar = value.scalar else { throw ConfigError(path: path, "\(at).\(key) must be a value") }
                fields[key] = scalar.string
            }
            guard let code = fields["code"], !code.isEmpty else { throw ConfigError(path: path, "\(at) needs a code") }
            guard let reason = fields["reason"], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ConfigError(path: path, "\(at) (\(code)) needs a reason: say why the finding is accepted")
            }
            if let until = fields["until"], !Self.isDay(until) {
                throw ConfigError(path: path, "\(at).until must be a date YYYY-MM-DD: '\(until)'")
            }
            rules.append(
                Ignore(code: code, path: fields["path"], image: fields["image"], reason: reason, until: fields["until"])
            )
        }
        return rules
    }

    /// `YYYY-MM-DD` with a real month and day.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// The error's own words, one line.
    private static func reason(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: " ")
    }
}

/// A config file that cannot be used: `FILE: problem`.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
