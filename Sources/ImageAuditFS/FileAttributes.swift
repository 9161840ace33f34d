/// The type of a node in an image filesystem, named as `inspect --files` prints it.
public enum FileType: String, Sendable, Hashable, Codable, CaseIterable {
    case regular = "file"
    case directory = "dir"
    case symlink
    case characterDevice = "char"
    case blockDevice = "block"
    case fifo
    case socket
}

/// What `lstat` would say about a node: type, permission bits, owner, size, link target.
public struct FileAttributes: Sendable, Hashable {
    public var type: FileType
    /// Permission bits including setuid, setgid and sticky (`mode & 0o7777`).
    public var permissions: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Size in bytes of a regular file; 0 for other types.
    public var size: Int64
    /// The raw target of a symlink, exactly as stored in the layer.
    public var symlinkTarget: [UInt8]?

    public init(
        type: FileType, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0,
        symlinkTarget: [UInt8]? = nil
    ) {
        self.type = type
        self.permissions = permissions & 0o7777
        self.uid = uid
        self.gid = gid
        self.size = size
        self.symlinkTarget = symlinkTarget
    }

    /// The attributes of a directory that had to be created because an entry below it had no parent.
    public static let implicitDirectory = FileAttributes(type: .directory, permissions: 0o755)
}

/// The identity a process runs as, for the kernel's permission checks.
public struct Credentials: Sendable, Hashable {
    public var uid: UInt32
    public var gid: UInt32
    public var supplementaryGroups: [UInt32]

    public init(uid: UInt32, gid: UInt32, supplementaryGroups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.supplementaryGroups = supplementaryGroups
    }

    public static let root = Credentials(uid: 0, gid: 0)

    /// Whether the kernel lets this identity execute a file, or search a directory, with these attributes.
    ///
    /// uid 0 may search any directory and execute a file when any execute bit is set
    /// (CAP_DAC_OVERRIDE); everyone else gets the owner, group or other bits, in that order.
    public func mayExecute(_ attributes: FileAttributes) -> Bool {
        let bits = attributes.permissions
        if uid == 0 {
            return attributes.type == .directory || bits & 0o111 != 0
        }
        if attributes.uid == uid { return bits & 0o100 != 0 }
        if attributes.gid == gid || supplementaryGroups.contains(attributes.gid) { return bits & 0o010 != 0 }
        return bits & 0o001 != 0
    }
}
