import Foundation

/// Facts about this machine's real loaders, for comparing the models with them.
public enum HostLoader {
    /// glibc's loader on an amd64 Debian host.
    public static let glibc = "/lib64/ld-linux-x86-64.so.2"
    /// musl's loader from Debian's musl package.
    public static let musl = "/lib/ld-musl-x86_64.so.1"

    /// The glibc-hwcaps subdirectories this CPU supports, best first, from `ld.so --help`
    /// ("  x86-64-v3 (supported, searched)").
    public static func glibcHWCaps() -> [String] {
        guard let output = try? Subprocess.run(glibc, ["--help"]) else { return [] }
        return output.stdout.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("x86-64-v"), trimmed.contains("(supported, searched)") else { return nil }
            return trimmed.split(separator: " ").first.map(String.init)
        }
    }

    /// `$PLATFORM` as this host's glibc sees it and its other legacy hwcap subdirectories, from
    /// `ld.so --help` ("  haswell (AT_PLATFORM; supported, searched)", "  avx512_1 (supported, …").
    public static func glibcLegacy() -> (platform: String?, hwcaps: [String]) {
        guard let output = try? Subprocess.run(glibc, ["--help"]) else { return (nil, []) }
        var platform: String?
        var hwcaps: [String] = []
        var inLegacy = false
        for line in output.stdout.split(separator: "\n") {
            if line.hasPrefix("Legacy HWCAP subdirectories") {
                inLegacy = true
                continue
            }
            guard inLegacy, line.hasPrefix("  "), let name = line.split(separator: " ").first.map(String.init) else {
                if inLegacy && !line.hasPrefix("  ") { inLegacy = false }
                continue
            }
            if line.contains("(AT_PLATFORM;") { platform = name } else if name != "tls" { hwcaps.append(name) }
        }
        // glibc orders the hwcap bits by number: x86_64 (bit 0) before avx512_1.
        return (platform, hwcaps.reversed())
    }

    /// `name => path` pairs from `ld.so --list` / musl `--list` output; `nil` path for "not found".
    /// The vDSO is left out; lines without `=>` map the path to itself.
    public static func parseList(_ output: String) -> [String: String?] {
        var result: [String: String?] = [:]
        for line in output.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("linux-vdso") || text.hasPrefix("linux-gate") || text.isEmpty { continue }
            if let arrow = text.range(of: " => ") {
                let name = String(text[..<arrow.lowerBound])
                let rest = text[arrow.upperBound...]
                if rest.hasPrefix("not found") {
                    result[name] = .some(nil)
                } else {
                    result[name] = rest.split(separator: " ").first.map(String.init)
                }
            } else if let path = text.split(separator: " ").first, path.hasPrefix("/") {
                result[String(path)] = String(path)
            }
        }
        return result
    }
}
