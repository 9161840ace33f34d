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
}

/// How a layer blob is compressed, as recognised from its bytes (not from its media type).
public enum LayerCompression: String, Sendable, Hashable, Codable {
    case none
    case gzip
    case zstd
    case xz
    case bzip2
}
