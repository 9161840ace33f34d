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
    /// and `--version` prints "… release version 2.36.". Loaders before 2.33 have no such
    /// banner, but are installed as `ld-2.31.so`: `fileName` (the resolved loader's name) tells then.
    public init?(loaderBytes bytes: [UInt8], fileName: String? = nil) {
        guard let directories = Self.systemDirectoryRun(bytes) else { return nil }
        systemDirectories = directories
        libToken = directories.first.map { String($0.drop { $0 == "/" }) } ?? "lib"
        version = Self.releaseVersion(bytes) ?? fileName.flatMap(Self.versionInName)
        source = .loaderBytes
    }

    /// `ld-2.31.so` → `[2, 31]`.
    static func versionInName(_ name: String) -> [Int]? {
        guard name.hasPrefix("ld-"), name.hasSuffix(".so") else { return nil }
        let numbers = name.dropFirst(3).dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map {
            Int($0)
        }
        guard numbers.count >= 2, numbers.allSatisfy({ $0 != nil }) else { return nil }
        return Array(numbers.compactMap { $0 }.prefix(2))
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

    /// The first run of at least two consecutive NUL-terminated strings that are absolute
    /// directories ending in `/`. One pass over the bytes, without splitting them up.
    private static func systemDirectoryRun(_ bytes: [UInt8]) -> [String]? {
        var run: [String] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "/"), index == 0 || bytes[index - 1] == 0 else {
                if run.count >= 2 { return run }
                run = []
                index += 1
                continue
            }
            var end = index
            while end < bytes.count, end - index < 512, bytes[end] > 0x20, bytes[end] < 0x7f { end += 1 }
            let isDirectory =
                end < bytes.count && bytes[end] == 0 && end - index > 1 && bytes[end - 1] == UInt8(ascii: "/")
            if isDirectory {
                run.append(String(decoding: bytes[index..<(end - 1)], as: UTF8.self))
                index = end + 1
                continue
            }
            if run.count >= 2 { return run }
            run = []
            index = end + 1
        }
        return run.count >= 2 ? run : nil
    }

    /// "release version 2.36." from the `--version` banner.
    private static func releaseVersion(_ bytes: [UInt8]) -> [Int]? {
        let marker = Array("release version ".utf8)
        var index = 0
        while index + marker.count < bytes.count {
            if bytes[index] == marker[0], bytes[index..<(index + marker.count)].elementsEqual(marker) {
                var numbers: [Int] = []
                var current = 0
                var digits = 0
                var position = index + marker.count
                while position < bytes.count, (bytes[position] >= 48 && bytes[position] <= 57) || bytes[position] == 46
                {
                    if bytes[position] == 46 {
                        if digits > 0 { numbers.append(current) }
                        (current, digits) = (0, 0)
                    } else {
                        current = current * 10 + Int(bytes[position] - 48)
                        digits += 1
                    }
                    position += 1
                }
                if digits > 0 { numbers.append(current) }
                return numbers.count >= 2 ? Array(numbers.prefix(2)) : nil
            }
            index += 1
        }
        return nil
    }
}
