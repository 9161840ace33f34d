import ImageAuditArchive

/// How much of a tarball the reader accepts before it stops with exit 2 (docs/security.md).
///
/// Every limit is far above what a real image holds, and each one bounds a cost an attacker could
/// otherwise buy with a few kilobytes: memory follows the entries kept and the merged tree, so
/// those are capped; time follows the bytes read, which a decompression bomb inflates but cannot
/// turn into memory. Each limit has a CLI flag (`--max-entries` …) to raise it.
public struct ReadLimits: Sendable, Hashable {
    /// Entries in the outer tarball (`--max-outer-entries`): docker save writes a few per layer.
    public var outerEntries = 100_000
    /// Entries in all the layers one read keeps, together, and entries merged into one image
    /// (`--max-entries`): a layer listed many times counts each time it is applied.
    public var entries = 1_000_000
    /// Layers in one image (`--max-layers`): Docker stops at 127, overlayfs at ~500 lower dirs.
    public var layers = 512
    /// Bytes of one entry's path or link target (`--max-path-length`): Linux's PATH_MAX.
    public var pathLength = 4096
    /// Components of one entry's path (`--max-path-depth`).
    public var pathDepth = 512
    /// Files in one merged tree, implicit parent directories included (`--max-files`).
    public var treeNodes = 1_000_000
    /// Bytes of names (paths, link targets) kept for all entries of one read (`--max-name-bytes`).
    public var nameBytes = 256 << 20
    /// DT_NEEDED entries of one ELF file (`--max-needed`): real programs list at most a few hundred.
    public var needed = 4096

    public init() {}

    /// The one-line message for a limit that was hit, naming it and its flag.
    static func exceeded(_ what: String, _ limit: Int, flag: String) -> String {
        "\(what): more than the limit of \(limit) (raise it with --\(flag))"
    }
}

extension TarballLimits {
    /// The outer tarball's entries are counted as they pass, repeats included: endless headers
    /// with one name would not grow the index, but would read forever.
    static func checkOuterEntries(_ seen: Int, _ limits: ReadLimits) throws(ArchiveError) {
        guard seen > limits.outerEntries else { return }
        throw ArchiveError(
            ReadLimits.exceeded("entries in the outer tarball", limits.outerEntries, flag: "max-outer-entries"),
            isLimit: true)
    }
}
