// Source: https://github.com/opencontainers/image-spec/blob/main/specs-go/v1/index.go (Platform)
// Normalisation follows containerd's platforms package (database.go).

/// An operating system and CPU architecture, e.g. `linux/arm64` or `linux/arm/v7`.
public struct Platform: Sendable, Hashable, Codable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var osVersion: String?
    public var osFeatures: [String]?

    enum CodingKeys: String, CodingKey {
        case os
        case architecture
        case variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]` as `--platform` takes it; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    /// The default this tool picks: linux/amd64.
    public static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")

    /// The same platform with containerd's spellings: `x86_64` → `amd64`, `aarch64` → `arm64`,
    /// `arm64/v8` → `arm64`, `armhf` → `arm/v7`, `i386` → `386`, lower case.
    public var normalized: Platform {
        var arch = architecture.lowercased()
        var variant = (self.variant ?? "").lowercased()
        switch arch {
        case "i386":
            arch = "386"
            variant = ""
        case "x86_64", "x86-64", "amd64":
            arch = "amd64"
            if variant == "v1" { variant = "" }
        case "aarch64", "arm64":
            arch = "arm64"
            switch variant {
            case "8", "v8", "v8.0": variant = ""
            case "9", "9.0", "v9.0": variant = "v9"
            default: break
            }
        case "armhf":
            arch = "arm"
            variant = "v7"
        case "armel":
            arch = "arm"
            variant = "v6"
        case "arm":
            switch variant {
            case "", "7": variant = "v7"
            case "5", "6", "8": variant = "v" + variant
            default: break
            }
        default: break
        }
        var result = Platform(os: os.lowercased(), architecture: arch, variant: variant.isEmpty ? nil : variant)
        result.osVersion = osVersion
        result.osFeatures = osFeatures
        return result
    }

    /// Whether an image for `self` is what someone asking for `wanted` means: same OS and
    /// architecture after normalisation, and the same variant when `wanted` names one.
    public func matches(_ wanted: Platform) -> Bool {
        let mine = normalized
        let theirs = wanted.normalized
        guard mine.os == theirs.os, mine.architecture == theirs.architecture else { return false }
        return theirs.variant == nil || mine.variant == theirs.variant
    }

    /// `os/arch[/variant]`.
    public var description: String {
        [os, architecture, variant].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
    }
}
