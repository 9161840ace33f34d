import ImageAuditArchive

/// The version `imageaudit --version` prints first, and reports carry.
public let imageAuditVersion = "0.1.0"
/// scripts/release.sh rewrites this line (and only it) in the source it builds from, so a release
/// names its commit without git; a `swift build` takes the commit from the BuildInfo plugin.
public let imageAuditCommit = "dev"

/// `imageaudit --version`: the version and commit, then what it was built with.
enum VersionText {
    /// The commit: release.sh's, else the one the BuildInfo plugin read from git.
    static var commit: String { imageAuditCommit == "dev" ? buildCommit : imageAuditCommit }

    static var swiftVersion: String {
        #if compiler(>=6.4)
            "6.4 or later"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #else
            "older than 6.2"
        #endif
    }

    static var text: String {
        """
        imageaudit \(imageAuditVersion)
        commit: \(commit)
        swift: \(swiftVersion)
        libarchive: \(LibraryVersions.libarchive)
        isa-l: \(LibraryVersions.isal)
        """
    }
}
