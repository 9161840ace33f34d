/// Bytes read front to back, one block at a time: a file, a range of a file, an entry of an
/// archive, the output of a decompressor. The pieces of the read pipeline pull from each other
/// through this protocol, so nothing is ever held whole in memory.
///
/// Not `Sendable`: a stream belongs to the one thread that reads it.
public protocol ByteStream: AnyObject {
    /// The next bytes of the stream; an empty buffer at the end. The bytes stay valid until the
    /// next call on this stream (they usually live in the stream's own buffer).
    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer
}

/// A stream that can move forward without producing the bytes (a file read with `pread`).
/// ``ArchiveReader`` uses it to jump over entry data it is not asked for.
public protocol SkippableByteStream: ByteStream {
    /// Moves forward by up to `count` bytes without reading them; returns how far it moved
    /// (less than `count` only at the end of the stream).
    func skip(_ count: Int64) throws(ArchiveError) -> Int64
}

extension ByteStream {
    /// Reads to the end, discarding the bytes (so a wrapping ``HashingStream`` sees them all).
    public func drain() throws(ArchiveError) {
        while try !nextBlock().isEmpty {}
    }

    /// Reads the whole rest of the stream into memory; throws when it exceeds `limit` bytes.
    public func readAll(limit: Int) throws(ArchiveError) -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let block = try nextBlock()
            if block.isEmpty { return bytes }
            guard block.count <= limit - bytes.count else {
                throw ArchiveError("larger than the \(limit) bytes allowed")
            }
            bytes.append(contentsOf: block)
        }
    }
}
