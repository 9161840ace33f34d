import ImageAuditELF
import ImageAuditFS

/// What the image's own glibc loader was built with: its default directories (`system_dirs`),
/// `$LIB`, and its version, read from the `ld.so` bytes when the layer reader kept them.
public struct GlibcInstallation: Sendable, Hashable, Codable {
    /// Where the facts came from.
    public enum Source: String, Sendable, Hashable, Codable {
        /// Read from the loader's own bytes.
        case loaderBytes = "ld.so"
        /// The loader's bytes were not available: the distribution's convention was assumed.
        case assumedDebianMultiarch = "assumed (Debian multiarch layout)"
        case assumedUpstream = "assumed (upstream glibc layout)"
    }

    /// The default directories, without trailing slash, in search order.
    public let systemDirectories: [String]
    /// What `$LIB` expands to (`lib/x86_64-linux-gnu`, `lib64`).
    public let libToken: String
    /// The glibc release (`[2, 36]`), when known.
    public let version: [Int]?
    public let source: Source

    public init(systemDirectories: [String], libToken: String, version: [Int]?, source: Source) {
        self.systemDirectories = systemDirectories
        self.libToken = libToken
        self.version = version
        self.source = source
    }

    /// Reads the facts from `ld.so` bytes: `system_dirs` is a run of NUL-terminated absolute
    /// directories that all end in `/` (`/lib/x86_64-linux-gnu/\0/usr/lib/x86_64-linux-gnu/\0/lib/\0/usr/lib/\0`),
    /// and `--version` prints "… release version 2.36.".
    public init?(loaderBytes bytes: [UInt8]) {
        guard let directories = Self.systemDirectoryRun(bytes) else { return nil }
        systemDirectories = directories
        libToken = directories.first.map { String($0.drop { $0 == "/" }) } ?? "lib"
        version = Self.releaseVersion(bytes)
        source = .loaderBytes
    }

    /// The distribution's convention when the loader bytes are missing: Debian's multiarch
    /// directories when the image has them, else upstream glibc's `slibdir`.
    public static func assumed(for platform: ELFPlatform, in tree: FileTree) -> GlibcInstallation {
        if let triplet = platform.debianTriplet,
            tree.node(at: "/usr/lib/\(triplet)") != nil || tree.node(at: "/lib/\(triplet)") != nil
        {
            return GlibcInstallation(
                systemDirectories: ["/lib/\(triplet)", "/usr/lib/\(triplet)", "/lib", "/usr/lib"],
                libToken: "lib/\(triplet)", version: nil, source: .assumedDebianMultiarch)
        }
        let lib64 = platform.elfClass == .elf64 && platform.machine != .riscv
        let lib = lib64 ? "lib64" : "lib"
        return GlibcInstallation(
            systemDirectories: ["/\(lib)", "/usr/\(lib)"], libToken: lib, version: nil, source: .assumedUpstream)
    }

    /// Whether directories are also searched in legacy hardware-capability subdirectories
    /// (`tls/`, `x86_64/`): glibc 2.37 removed them. Unknown versions are taken as current.
    public var searchesLegacyHWCaps: Bool { (version.map { $0.lexicographicallyPrecedes([2, 37]) }) ?? false }
    /// Whether `glibc-hwcaps/` subdirectories exist (glibc 2.33 and later).
    public var searchesGlibcHWCaps: Bool { version.map { !$0.lexicographicallyPrecedes([2, 33]) } ?? true }

    private static func systemDirectoryRun(_ bytes: [UInt8]) -> [String]? {
        let strings = bytes.split(separator: 0, omittingEmptySubsequences: false)
        var run: [String] = []
        for string in strings {
            if string.count > 1, string.first == UInt8(ascii: "/"), string.last == UInt8(ascii: "/"),
                string.allSatisfy({ $0 > 0x20 && $0 < 0x7f })
            {
                run.append(String(decoding: string.dropLast(), as: UTF8.self))
                continue
            }
            if run.count >= 2 { return run }
            run = []
        }
        return run.count >= 2 ? run : nil
    }

    private static func releaseVersion(_ bytes: [UInt8]) -> [Int]? {
        let marker = Array("release version ".utf8)
        guard let start = bytes.firstRange(of: marker)?.upperBound else { return nil }
        let digits = bytes[start...].prefix { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
        let numbers = digits.split(separator: UInt8(ascii: ".")).compactMap { Int(String(decoding: $0, as: UTF8.self)) }
        return numbers.count >= 2 ? Array(numbers.prefix(2)) : nil
    }
}
