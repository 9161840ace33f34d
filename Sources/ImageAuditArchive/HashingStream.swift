/// Passes another stream through unchanged while computing the SHA-256 and the length of
/// everything that went by: the digest of a blob as stored, or of a layer once decompressed
/// (its diff ID), with no second read.
public final class HashingStream: ByteStream {
    private let source: any ByteStream
    private let hasher = SHA256()
    /// How many bytes went through so far.
    public private(set) var byteCount: Int64 = 0

    /// Hashes what is read from `source`.
    public init(_ source: any ByteStream) {
        self.source = source
    }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let block = try source.nextBlock()
        hasher.update(block)
        byteCount += Int64(block.count)
        return block
    }

    /// Reads whatever the consumer left unread, then returns the digest of the whole stream.
    /// Call once, at the end.
    public func finish() throws(ArchiveError) -> [UInt8] {
        try drain()
        return hasher.finish()
    }
}

/// Reads the first bytes of a stream ahead so the caller can look at them (magic numbers),
/// then delivers the whole stream from its first byte.
public final class PeekableStream: ByteStream {
    private let source: any ByteStream
    private var prefix: [UInt8] = []
    private var started = false
    private var sourceEnded = false
    /// The peeked bytes while they are being delivered (a stable address, unlike an array's).
    private var pending: UnsafeMutableRawBufferPointer?

    /// Wraps `source`; nothing is read until ``peek(_:)``.
    public init(_ source: any ByteStream) {
        self.source = source
    }

    deinit { pending?.deallocate() }

    /// The first `count` bytes of the stream, or fewer when the stream is shorter. Only before
    /// the first ``nextBlock()``; afterwards it returns nothing.
    public func peek(_ count: Int) throws(ArchiveError) -> [UInt8] {
        guard !started else { return [] }
        while prefix.count < count && !sourceEnded {
            let block = try source.nextBlock()
            if block.isEmpty { sourceEnded = true }
            prefix.append(contentsOf: block)
        }
        return Array(prefix.prefix(count))
    }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        if let old = pending {
            old.deallocate()
            pending = nil
        }
        if !started {
            started = true
            if !prefix.isEmpty {
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: prefix.count, alignment: 16)
                prefix.withUnsafeBytes { copy.copyMemory(from: $0) }
                prefix = []
                pending = copy
                return UnsafeRawBufferPointer(copy)
            }
        }
        if sourceEnded { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return try source.nextBlock()
    }
}
