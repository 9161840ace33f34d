import ImageAuditFS
import ImageAuditELF

/// What an image is built on, for the identity line and for choosing fixes: the distribution
/// (`/etc/os-release`) and the C library whose loader is installed.
public struct ImageIdentity: Sendable, Hashable, Codable {
    /// `ID` from os-release (`debian`, `alpine`, `ubuntu` …); nil when the image has none.
    public var distributionID: String?
    /// `ID_LIKE` words, for families (`rhel fedora`).
    public var distributionLike: [String]
    public var versionID: String?
    /// `PRETTY_NAME`, or ID and VERSION_ID.
    public var distributionName: String?
    /// The C library a dynamic program would get; nil: none (scratch, static bases).
    public var libc: LibC?
    /// The C library's version where the package database says (`libc6`, `musl`).
    public var libcVersion: String?
    /// Also a glibc loader name on a musl image (gcompat / libc6-compat).
    public var glibcCompat: Bool

    public init(
        distributionID: String? = nil, distributionLike: [String] = [], versionID: String? = nil,
        distributionName: String? = nil, libc: LibC? = nil, libcVersion: String? = nil, glibcCompat: Bool = false
    ) {
        self.distributionID = distributionID
        self.distributionLike = distributionLike
        self.versionID = versionID
        self.distributionName = distributionName
        self.libc = libc
        self.libcVersion = libcVersion
        self.glibcCompat = glibcCompat
    }

    /// Distribution families the fixes know.
    enum Family: Sendable {
        case debian, alpine, rhel, other
    }

    var family: Family {
        let ids = [distributionID ?? ""] + distributionLike
        if ids.contains("alpine") || ids.contains("wolfi") { return .alpine }
        if ids.contains("debian") || ids.contains("ubuntu") { return .debian }
        if ids.contains(where: { ["rhel", "fedora", "centos", "amzn"].contains($0) }) { return .rhel }
        return .other
    }

    /// `glibc`, `musl` or `none`.
    public var libcName: String { libc?.rawValue ?? "none" }

    /// "Debian GNU/Linux 12 (bookworm), glibc 2.36".
    public var summary: String {
        let distribution = distributionName ?? "no distribution (no /etc/os-release)"
        let libcText: String
        switch libc {
        case .glibc?: libcText = "glibc" + (libcVersion.map { " \($0)" } ?? "")
        case .musl?: libcText = "musl" + (libcVersion.map { " \($0)" } ?? "") + (glibcCompat ? " (+ glibc compatibility loader)" : "")
        case nil: libcText = "no C library"
        }
        return "\(distribution), \(libcText)"
    }
}

extension ImageIdentity {
    /// Reads os-release, the loaders present and the package database.
    init(tree: FileTree, packages: PackageDatabase) {
        self.init()
        let release = Self.osRelease(tree)
        distributionID = release["ID"]
        distributionLike = (release["ID_LIKE"] ?? "").split(separator: " ").map(String.init)
        versionID = release["VERSION_ID"]
        distributionName = release["PRETTY_NAME"] ?? release["NAME"]
        if distributionID == nil, let alpine = Self.text(tree, "/etc/alpine-release") {
            distributionID = "alpine"
            versionID = alpine.trimmingCharacters(in: .whitespaces)
            distributionName = "Alpine Linux v\(versionID ?? "")"
        }

        let libDirectories = Self.libraryDirectories(tree)
        let hasMusl = libDirectories.contains { dir in Self.names(tree, dir).contains { $0.hasPrefix("ld-musl-") } }
        let hasGlibcLoader = libDirectories.contains { dir in Self.names(tree, dir).contains { $0.hasPrefix("ld-linux") } }
        let hasLibc6 = libDirectories.contains { dir in Self.names(tree, dir).contains("libc.so.6") }
        if hasMusl {
            libc = .musl
            libcVersion = packages.versions["musl"].map(Self.upstreamVersion)
            glibcCompat = hasGlibcLoader
        } else if hasLibc6 || hasGlibcLoader {
            libc = .glibc
            libcVersion = (packages.versions["libc6"] ?? packages.versions["glibc"]).map(Self.upstreamVersion)
        }
    }

    /// "2.36-9+deb12u7" → "2.36"; "1.2.4-r2" → "1.2.4".
    static func upstreamVersion(_ version: String) -> String {
        let withoutEpoch = version.split(separator: ":").last.map(String.init) ?? version
        return withoutEpoch.split(separator: "-").first.map(String.init) ?? withoutEpoch
    }

    /// `/lib`, `/lib64`, `/usr/lib`, `/usr/lib64` and their multiarch subdirectories.
    private static func libraryDirectories(_ tree: FileTree) -> [String] {
        var directories = ["/lib", "/lib64", "/usr/lib", "/usr/lib64"]
        for base in ["/lib", "/usr/lib"] {
            directories += names(tree, base).filter { $0.contains("-linux-") }.map { "\(base)/\($0)" }
        }
        return directories
    }

    private static func names(_ tree: FileTree, _ directory: String) -> [String] {
        guard case .success(let found) = tree.resolve(directory), tree.attributes(of: found.node).type == .directory else {
            return []
        }
        return tree.children(of: found.node).map { PathBytes.display($0.name) }
    }

    private static func text(_ tree: FileTree, _ path: String) -> String? {
        guard case .success(let found) = tree.resolve(path), let data = tree.content(of: found.node)?.data else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// `KEY=value` lines of `/etc/os-release` (or `/usr/lib/os-release`), quotes removed.
    private static func osRelease(_ tree: FileTree) -> [String: String] {
        guard let text = text(tree, "/etc/os-release") ?? text(tree, "/usr/lib/os-release") else { return [:] }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            fields[parts[0]] = parts[1].trimmingCharacters(in: .quotes)
        }
        return fields
    }
}
