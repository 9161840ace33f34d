/// A value snapshot of one tar header, copied out of libarchive before the next header
/// invalidates its strings. Names are raw bytes: they need not be UTF-8.
public struct ArchiveEntry: Sendable, Hashable {
    /// What the header says the entry is.
    public enum Kind: Sendable, Hashable {
        case regular
        case directory
        case symlink
        /// A hard link to ``ArchiveEntry/linkTarget``.
        case hardlink
        case characterDevice
        case blockDevice
        case fifo
        case socket
        /// A type this tool does not know (the raw `S_IFMT` bits).
        case unknown(UInt32)
    }

    /// The path exactly as stored (after pax/GNU long-name records are applied).
    public var pathBytes: [UInt8]
    /// The entry's type.
    public var kind: Kind
    /// Permission bits including setuid, setgid and sticky.
    public var permissions: UInt32
    /// The owner as the header gives it (any value a hostile header holds).
    public var uid: Int64
    /// The group as the header gives it.
    public var gid: Int64
    /// The data size from the header (0 for entries without data).
    public var size: Int64
    /// The target of a symlink or hard link, raw bytes.
    public var linkTarget: [UInt8]?
    /// Where the entry's data starts, counted in bytes of the (uncompressed) tar stream.
    public var dataOffset: Int64

    /// The path for people to read (invalid UTF-8 shown as U+FFFD).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }

    /// Creates a snapshot (tests build these by hand).
    public init(
        pathBytes: [UInt8], kind: Kind, permissions: UInt32, uid: Int64 = 0, gid: Int64 = 0, size: Int64 = 0,
        linkTarget: [UInt8]? = nil, dataOffset: Int64 = 0
    ) {
        self.pathBytes = pathBytes
        self.kind = kind
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.size = size
        self.linkTarget = linkTarget
        self.dataOffset = dataOffset
    }
}
