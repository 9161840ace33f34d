import ImageAuditFS

/// One layer blob read through: its entries with what was kept of their contents, and the
/// digests of its bytes as stored and once decompressed.
struct LayerSummary: Sendable {
    var entries: [LayerEntry]
    /// sha256 of the blob as stored in the tarball (what a descriptor's digest names).
    var storedDigest: [UInt8]
    var storedSize: Int64
    /// sha256 of the uncompressed tar stream (the config's `rootfs.diff_ids` entry).
    var diffID: [UInt8]
    var uncompressedSize: Int64
    var compression: LayerCompression
    /// Entries that were not files this tool models (e.g. tar types it does not know).
    var skipped: [String]
    /// ELF files whose dynamic tables passed before `PT_DYNAMIC` said where they are: a
    /// seekable reader reads the layer again for them (``LayerSummarizer/revisit(_:summary:)``).
    var secondLooks: [SecondLook] = []
}

/// One file a layer must be read again for, and the ranges to keep from its first byte.
struct SecondLook: Sendable {
    /// Its position among the layer's tar entries.
    var ordinal: Int
    /// Its position in ``LayerSummary/entries``.
    var entryIndex: Int
    var ranges: [Range<Int>]
}

/// How a layer blob is compressed, as recognised from its bytes (not from its media type).
public enum LayerCompression: String, Sendable, Hashable, Codable {
    case none
    case gzip
    case zstd
    case xz
    case bzip2
}
