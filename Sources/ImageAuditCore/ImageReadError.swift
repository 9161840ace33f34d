import ImageAuditArchive

/// Why a tarball could not be read as container images: corrupt, truncated, not an image, a
/// blob missing or not matching its digest, JSON of the wrong shape, no image matching the
/// `--platform` or `--image` asked for. The message names the blob or document at fault and
/// reads after the tarball's name: `error: x.tar: layer blobs/sha256/ab…: truncated gzip input`.
public struct ImageReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for people; never contains the tarball's own name.
    public var message: String
    /// Set when the input holds no image at all, only manifests that are not images (a
    /// signature, an SBOM, another OCI artifact): what they are, e.g. `cosign signature`.
    /// A bulk run over a registry's tags skips such a tag with a note instead of an error.
    public var notAnImage: String?

    /// Creates an error with a message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// An archive-level failure while reading `what` (e.g. `layer blobs/sha256/…`).
    static func reading(_ what: String, _ error: ArchiveError) -> ImageReadError {
        ImageReadError("\(what): \(error.message)")
    }
}
