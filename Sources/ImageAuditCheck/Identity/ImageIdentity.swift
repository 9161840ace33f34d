import ImageAuditELF
import ImageAuditFS

/// What an image is built on: its distribution, the C library whose loader is installed, and
/// its package manager. One reading of the image, used by `inspect`, the audit and the fixes.
public struct ImageIdentity: Sendable, Hashable, Codable {
    /// From the release files; nil for scratch-like images.
    public var distribution: Distribution?
    /// The loaders present (regular files, each once).
    public var loaders: [LoaderPresence]
    /// The C library a dynamic program would get; nil: none (scratch, static bases).
    public var libc: LibC?
    /// The C library's version where the package database says (`libc6`, `musl`).
    public var libcVersion: String?
    /// Also a glibc loader on a musl image (gcompat / libc6-compat).
    public var glibcCompat: Bool
    /// The package database found: `dpkg` (with `status.d` only on distroless), `apk`.
    public var packageManager: String?

    public init(
        distribution: Distribution? = nil, loaders: [LoaderPresence] = [], libc: LibC? = nil,
        libcVersion: String? = nil, glibcCompat: Bool = false, packageManager: String? = nil
    ) {
        self.distribution = distribution
        self.loaders = loaders
        self.libc = libc
        self.libcVersion = libcVersion
        self.glibcCompat = glibcCompat
        self.packageManager = packageManager
    }

    /// Reads the release files, the library directories and the package database.
    public init(tree: FileTree) {
        self.init(tree: tree, packages: PackageDatabase(tree: tree))
    }

    init(tree: FileTree, packages: PackageDatabase) {
        self.init(distribution: Distribution(tree: tree), loaders: LoaderPresence.scan(tree))
        packageManager = packages.manager?.rawValue
        if loaders.contains(where: { $0.libc == .musl }) {
            libc = .musl
            libcVersion = packages.versions["musl"].map(Self.upstreamVersion)
            glibcCompat = loaders.contains { $0.libc == .glibc }
        } else if loaders.contains(where: { $0.libc == .glibc }) || LoaderPresence.hasGlibcLibrary(tree) {
            libc = .glibc
            libcVersion = (packages.versions["libc6"] ?? packages.versions["glibc"]).map(Self.upstreamVersion)
        }
    }

    /// `ID` of os-release (`debian`, `alpine` …); nil when the image has no release file.
    public var distributionID: String? { distribution?.id }
    /// `VERSION_ID`.
    public var versionID: String? { distribution?.versionID }
    /// The name people know it by: `PRETTY_NAME`, else `ID VERSION_ID`.
    public var distributionName: String? { distribution?.displayName }

    /// Distribution families the fixes know.
    enum Family: Sendable {
        case debian, alpine, rhel, other
    }

    var family: Family {
        let ids = [distributionID ?? ""] + (distribution?.like ?? [])
        if ids.contains("alpine") || ids.contains("wolfi") { return .alpine }
        if ids.contains("debian") || ids.contains("ubuntu") { return .debian }
        if ids.contains(where: { ["rhel", "fedora", "centos", "amzn"].contains($0) }) { return .rhel }
        return .other
    }

    /// `glibc`, `musl` or `none`.
    public var libcName: String { libc?.rawValue ?? "none" }

    /// "glibc 2.36", "musl 1.2.5 (+ glibc compatibility loader)", "no C library".
    public var libcSummary: String {
        switch libc {
        case .glibc?: "glibc" + (libcVersion.map { " \($0)" } ?? "")
        case .musl?:
            "musl" + (libcVersion.map { " \($0)" } ?? "") + (glibcCompat ? " (+ glibc compatibility loader)" : "")
        case nil: "no C library"
        }
    }

    /// "Debian GNU/Linux 12 (bookworm), glibc 2.36".
    public var summary: String {
        "\(distributionName ?? "no distribution (no /etc/os-release)"), \(libcSummary)"
    }

    /// "2.36-9+deb12u7" → "2.36"; "1.2.4-r2" → "1.2.4".
    static func upstreamVersion(_ version: String) -> String {
        let withoutEpoch = version.split(separator: ":").last.map(String.init) ?? version
        return withoutEpoch.split(separator: "-").first.map(String.init) ?? withoutEpoch
    }
}
