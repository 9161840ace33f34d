/// Why an archive or a compressed stream could not be read: libarchive's message, an I/O
/// failure, or a limit this module enforces. The message is a lower-case sentence fragment
/// meant to follow a file name (`error: x.tar: truncated tar archive`).
public struct ArchiveError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people.
    public var message: String

    /// A read limit (docs/security.md) was hit: the input is hostile or beyond any real image,
    /// so the whole read stops here instead of skipping to the next entry.
    public var isLimit = false

    /// Creates an error with a message.
    public init(_ message: String, isLimit: Bool = false) {
        self.message = message
        self.isLimit = isLimit
    }

    public var description: String { message }
}

extension ArchiveError {
    /// libarchive's wording starts with a capital and sometimes names internals; keep its text but
    /// make it read as a fragment, and say plainly what its most common messages mean.
    static func fromLibArchive(_ text: String?, fallback: String) -> ArchiveError {
        guard var text, !text.isEmpty else { return ArchiveError(fallback) }
        switch text {
        case "Unrecognized archive format": return ArchiveError("not a tar archive")
        case "Damaged tar archive": return ArchiveError("damaged tar archive (bad header checksum)")
        default: break
        }
        if let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase == true {
            text = first.lowercased() + text.dropFirst()
        }
        return ArchiveError(text)
    }
}
