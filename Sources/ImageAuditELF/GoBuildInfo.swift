/// The build information the Go linker embeds in every Go binary (`runtime/debug.BuildInfo`), as
/// `go version -m` reads it: the Go version, the main module and the build settings.
public struct GoBuildInfo: Sendable, Hashable {
    /// A module line: `mod` (the main module) or `dep`.
    public struct Module: Sendable, Hashable {
        public let path: String
        public let version: String
        public let sum: String
    }

    /// A `build` line, `key=value` (`CGO_ENABLED=1`, `-tags=netgo`, `GOOS=linux` …).
    public struct Setting: Sendable, Hashable {
        public let key: String
        public let value: String
    }

    /// `go1.21.5`, or nil when it could not be read.
    public let goVersion: String?
    /// The module information text exactly as embedded (one `path`/`mod`/`dep`/`build` line each).
    public let moduleInfo: String

    public init(goVersion: String?, moduleInfo: String) {
        self.goVersion = goVersion
        self.moduleInfo = moduleInfo
    }

    private var lines: [[Substring]] {
        moduleInfo.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    /// The `path` line: the import path of the main package.
    public var mainPackagePath: String? {
        lines.first { $0.first == "path" && $0.count > 1 }.map { String($0[1]) }
    }

    /// The `mod` line: the main module.
    public var mainModule: Module? {
        lines.first { $0.first == "mod" && $0.count > 2 }.map {
            Module(path: String($0[1]), version: String($0[2]), sum: $0.count > 3 ? String($0[3]) : "")
        }
    }

    /// The `build` lines, in order (Go 1.18 and later record them).
    public var settings: [Setting] {
        lines.compactMap { fields in
            guard fields.first == "build", fields.count > 1, let equals = fields[1].firstIndex(of: "=") else {
                return nil
            }
            let key = String(fields[1][..<equals])
            let raw = fields[1][fields[1].index(after: equals)...]
            return Setting(key: key, value: Self.unquote(raw))
        }
    }

    /// The value of one build setting.
    public func setting(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    /// `CGO_ENABLED` as recorded, or nil when the binary does not say (Go before 1.18).
    public var cgoEnabled: Bool? { setting("CGO_ENABLED").map { $0 == "1" } }
    public var goos: String? { setting("GOOS") }
    public var goarch: String? { setting("GOARCH") }
    /// The `-tags` setting, split on commas.
    public var tags: [String] { setting("-tags").map { $0.split(separator: ",").map(String.init) } ?? [] }

    /// What `go version -m FILE` prints for this binary.
    public func goVersionOutput(file: String) -> String {
        var output = "\(file): \(goVersion ?? "unknown")\n"
        for line in moduleInfo.split(separator: "\n", omittingEmptySubsequences: true) {
            output += "\t\(line)\n"
        }
        return output
    }

    /// Values with spaces, quotes or `=` are written with Go's `strconv.Quote`; undo the common escapes.
    private static func unquote(_ raw: Substring) -> String {
        guard raw.count >= 2, raw.first == "\"", raw.last == "\"" else { return String(raw) }
        var result = ""
        var escaped = false
        for character in raw.dropFirst().dropLast() {
            if escaped {
                result.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
