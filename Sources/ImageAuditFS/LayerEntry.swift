/// One entry of a layer tarball, as the layer reader saw it, before any merge.
public struct LayerEntry: Sendable {
    /// What the tar header says the entry is.
    public enum Kind: Sendable, Hashable {
        case regular
        case directory
        case symlink(target: [UInt8])
        /// A hard link to another path, in this layer or a lower one.
        case hardlink(target: [UInt8])
        case characterDevice
        case blockDevice
        case fifo
        case socket
    }

    /// The path exactly as stored: maybe `./`-prefixed, absolute, with `..`, not UTF-8.
    public var path: [UInt8]
    public var kind: Kind
    public var permissions: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    /// What was kept of a regular file's bytes.
    public var content: FileContent?

    public init(
        path: [UInt8], kind: Kind, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
        content: FileContent? = nil
    ) {
        self.path = path
        self.kind = kind
        self.permissions = permissions & 0o7777
        self.uid = uid
        self.gid = gid
        self.size = size
        self.content = content
    }

    /// Convenience for tests and callers holding Swift strings.
    public init(
        _ path: String, _ kind: Kind, permissions: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0,
        size: Int64 = 0, content: FileContent? = nil
    ) {
        self.init(
            path: Array(path.utf8), kind: kind, permissions: permissions, uid: uid, gid: gid, size: size,
            content: content)
    }

    var fileType: FileType {
        switch kind {
        case .regular, .hardlink: .regular
        case .directory: .directory
        case .symlink: .symlink
        case .characterDevice: .characterDevice
        case .blockDevice: .blockDevice
        case .fifo: .fifo
        case .socket: .socket
        }
    }
}
