import ImageAuditArchive

/// The version `imageaudit --version` prints first, and reports carry.
public let imageAuditVersion = "0.1.0"

/// `imageaudit --version`: the version, then what it was built from and with.
enum VersionText {
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
        commit: \(buildCommit)
        swift: \(swiftVersion)
        libarchive: \(LibraryVersions.libarchive)
        isa-l: \(LibraryVersions.isal)
        """
    }
}
