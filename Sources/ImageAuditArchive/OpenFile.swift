#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A file opened read-only, closed when the last reference goes. Reads are positional
/// (`pread`), so several ``FileRangeStream``s may share one `OpenFile` on one thread; threads
/// open their own.
public final class OpenFile {
    let descriptor: Int32
    /// The size of the file when it was opened.
    public let size: Int64
    /// Whether it is a regular file (seekable, with a size); pipes and terminals are not.
    public let isRegularFile: Bool

    /// Opens `path` for reading. The corresponding C function is `open`.
    /// - Parameter regularOnly: refuse anything but a regular file before reading a byte, and
    ///   never block in `open`: `stat` first (a FIFO, socket or device is not even opened), then
    ///   `O_NONBLOCK` and `fstat` again in case it was swapped in between. For files found by
    ///   scanning a directory, where a FIFO named `x.tar` would otherwise hang the whole run.
    public init(path: String, regularOnly: Bool = false) throws(ArchiveError) {
        if regularOnly {
            var before = stat()
            guard stat(path, &before) == 0 else { throw ArchiveError(Self.errnoText(errno)) }
            try Self.requireRegular(before.st_mode)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | (regularOnly ? O_NONBLOCK | O_NOCTTY : 0))
        guard fd >= 0 else { throw ArchiveError(Self.errnoText(errno)) }
        descriptor = fd
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG {
            size = Int64(status.st_size)
            isRegularFile = true
        } else {
            size = 0
            isRegularFile = false
        }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw ArchiveError("is a directory") }
        if regularOnly { try Self.requireRegular(status.st_mode) }
    }

    /// Throws `not a regular file (a FIFO)` and the like.
    private static func requireRegular(_ mode: mode_t) throws(ArchiveError) {
        let kind: String
        switch mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw ArchiveError("is a directory")
        case S_IFIFO: kind = "a FIFO"
        case S_IFSOCK: kind = "a socket"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        default: kind = "mode \(String(mode & S_IFMT, radix: 8))"
        }
        throw ArchiveError("not a regular file (\(kind)), refused unread")
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    /// The corresponding C function is `pread`.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(ArchiveError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(descriptor, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR { throw ArchiveError("read failed: \(Self.errnoText(errno))") }
        }
    }

    static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text).lowercased()
    }
}
