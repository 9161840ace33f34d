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
    public init(path: String) throws(ArchiveError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
