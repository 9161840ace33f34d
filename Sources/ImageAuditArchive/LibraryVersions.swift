internal import CISAL
internal import CLibArchive

/// The C libraries' versions, for `imageaudit --version`.
public enum LibraryVersions {
    /// libarchive's own words at run time: `libarchive 3.7.2 zlib/1.3 liblzma/5.4.5 bz2lib/1.0.8 libzstd/1.5.5`.
    public static var libarchive: String {
        archive_version_details().map { String(cString: $0) } ?? "libarchive (version unknown)"
    }

    /// ISA-L's version from the headers it was built against (the library has no run-time query).
    public static var isal: String {
        "ISA-L \(CISAL_VERSION_MAJOR).\(CISAL_VERSION_MINOR).\(CISAL_VERSION_PATCH)"
    }
}
