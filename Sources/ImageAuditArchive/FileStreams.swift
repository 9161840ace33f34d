#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A byte range of an ``OpenFile`` read with `pread`: a layer stored inside an uncompressed
/// outer tarball, read without the outer archive. Ending early is an error: the tar header
/// promised those bytes.
public final class FileRangeStream: SkippableByteStream {
    private let file: OpenFile
    private var position: Int64
    private let end: Int64
    private let buffer: UnsafeMutableRawBufferPointer

    /// - Parameters:
    ///   - file: the file to read.
    ///   - range: the bytes to deliver, as file offsets.
    ///   - blockSize: how much one `pread` asks for.
    public init(file: OpenFile, range: Range<Int64>, blockSize: Int = 256 * 1024) {
        self.file = file
        position = range.lowerBound
        end = range.upperBound
        buffer = .allocate(byteCount: max(blockSize, 512), alignment: 16)
    }

    deinit { buffer.deallocate() }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        guard position < end else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let wanted = Int(min(Int64(buffer.count), end - position))
        let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: position)
        guard count > 0 else {
            throw ArchiveError("truncated: the file ends at byte \(position), the data should go on to byte \(end)")
        }
        position += Int64(count)
        return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
    }

    public func skip(_ count: Int64) throws(ArchiveError) -> Int64 {
        // Never past the range nor past the end of the file: the reader then asks for bytes
        // and gets the truncation error above.
        let limit = min(end, max(file.size, position))
        let moved = max(0, min(count, limit - position))
        position += moved
        return moved
    }
}

/// A file descriptor read front to back with `read`: standard input, a pipe. The descriptor is
/// not closed by this stream.
public final class FileDescriptorStream: ByteStream {
    private let descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    /// Keeps an opened pipe or device open while it is read.
    private let file: OpenFile?

    /// Reads `descriptor` (e.g. 0 for standard input).
    public init(descriptor: Int32, blockSize: Int = 256 * 1024) {
        self.descriptor = descriptor
        buffer = .allocate(byteCount: max(blockSize, 512), alignment: 16)
        file = nil
    }

    /// Reads an opened file that is not a regular file (a FIFO, `/dev/stdin`, `<(…)`) front to back.
    public init(file: OpenFile, blockSize: Int = 256 * 1024) {
        descriptor = file.descriptor
        buffer = .allocate(byteCount: max(blockSize, 512), alignment: 16)
        self.file = file
    }

    /// Standard input.
    public static func standardInput() -> FileDescriptorStream { FileDescriptorStream(descriptor: 0) }

    deinit { buffer.deallocate() }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        guard let base = buffer.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        while true {
            let count = read(descriptor, base, buffer.count)
            if count >= 0 { return UnsafeRawBufferPointer(start: base, count: count) }
            if errno != EINTR { throw ArchiveError("read failed: \(OpenFile.errnoText(errno))") }
        }
    }
}

/// Bytes already in memory, delivered in blocks of `blockSize` (small blocks let tests check that
/// nothing depends on how a stream is cut up).
public final class MemoryStream: SkippableByteStream {
    private let storage: UnsafeMutableRawBufferPointer
    private var position = 0
    private let blockSize: Int

    /// Delivers a copy of `bytes`.
    public init(_ bytes: [UInt8], blockSize: Int = 64 * 1024) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0) }
        self.storage = storage
        self.blockSize = max(1, blockSize)
    }

    deinit { storage.deallocate() }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let end = min(storage.count, position + blockSize)
        defer { position = end }
        return UnsafeRawBufferPointer(rebasing: storage[position..<end])
    }

    public func skip(_ count: Int64) throws(ArchiveError) -> Int64 {
        let moved = Int(min(count, Int64(storage.count - position)))
        position += moved
        return Int64(moved)
    }
}
