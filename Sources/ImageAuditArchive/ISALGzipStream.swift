internal import CISAL

/// Gzip through ISA-L's `isal_inflate` (Intel's Intelligent Storage Acceleration Library):
/// about 3.5 × GNU gzip and 2.5 × zlib on this project's layers (docs/performance.md); zstd
/// through libzstd directly (``ZstdStream``). xz and bzip2 go to ``LibArchiveDecompressor``.
public struct ISALDecompressor: Decompressor {
    /// Decompresses everything but gzip with this one.
    private let others: LibArchiveDecompressor

    /// The decompressor.
    public init() {
        others = LibArchiveDecompressor()
    }

    public func decompressing(
        _ source: any ByteStream, as compression: Compression
    ) throws(ArchiveError)
        -> any ByteStream
    {
        switch compression {
        case .gzip: return ISALGzipStream(source)
        case .zstd: return try ZstdStream(source)
        default: return try others.decompressing(source, as: compression)
        }
    }
}

/// The uncompressed bytes of a gzip stream of one or more members (RFC 1952; eStargz writes
/// several). After a member's trailer, a byte `1f` starts another member (whose header ISA-L
/// then checks); anything else ends the stream and is ignored, as libarchive and GNU gzip
/// ignore trailing bytes such as zero padding (the digests still cover them: the caller's
/// hashing stream reads to the end).
///
/// Each member's CRC-32 and length are checked by ISA-L (`ISAL_GZIP`). The input blocks of the
/// source are handed to ISA-L in place (no copy); ISA-L keeps what it needs between calls.
final class ISALGzipStream: BufferFillingStream {
    private let source: any ByteStream
    private let state: UnsafeMutablePointer<inflate_state>
    private let output: UnsafeMutableRawBufferPointer
    /// The source has delivered its last block.
    private var sourceEnded = false
    /// The last member ended and nothing follows.
    private var finished = false
    /// Bytes decompressed so far (for error messages).
    private var produced: Int64 = 0

    init(_ source: any ByteStream, outputSize: Int = 256 * 1024) {
        self.source = source
        state = .allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
        output = .allocate(byteCount: outputSize, alignment: 64)
    }

    deinit {
        state.deallocate()
        output.deallocate()
    }

    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: output.baseAddress, count: try nextBlock(into: output))
    }

    /// Inflates straight into `output` (a ``PipelinedStream``'s slot: no copy).
    func nextBlock(into output: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        // A call may consume input without producing output (headers, a block's Huffman tables).
        var starvedCalls = 0
        while !finished {
            if state.pointee.block_state == ISAL_BLOCK_FINISH {
                try startNextMember()
                continue
            }
            if state.pointee.avail_in == 0 { try refill() }
            let starved = sourceEnded && state.pointee.avail_in == 0
            state.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
            state.pointee.avail_out = UInt32(output.count)
            let status = isal_inflate(state)
            guard status == ISAL_DECOMP_OK else { throw Self.error(status, after: produced) }
            let count = output.count - Int(state.pointee.avail_out)
            if count > 0 {
                produced += Int64(count)
                return count
            }
            // No input left and ISA-L can make nothing more of the bits it holds: the member
            // was cut short.
            if starved && state.pointee.block_state != ISAL_BLOCK_FINISH {
                starvedCalls += 1
                if starvedCalls > 1 {
                    throw ArchiveError("truncated gzip input (the data ends after \(produced) uncompressed bytes)")
                }
            }
        }
        return 0
    }

    /// Points ISA-L at the source's next non-empty block (valid until the next call on it).
    private func refill() throws(ArchiveError) {
        guard !sourceEnded else { return }
        let block = try source.nextBlock()
        guard let base = block.baseAddress, !block.isEmpty else {
            sourceEnded = true
            return
        }
        precondition(block.count <= Int(UInt32.max), "a source block larger than 4 GiB")
        state.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        state.pointee.avail_in = UInt32(block.count)
    }

    /// After a member's trailer: another member if the next byte is gzip's first magic byte
    /// (ISA-L checks the rest of the header), else the end.
    private func startNextMember() throws(ArchiveError) {
        if state.pointee.avail_in == 0 { try refill() }
        guard state.pointee.avail_in > 0, let next = state.pointee.next_in, next[0] == 0x1f else {
            finished = true
            return
        }
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    /// ISA-L's status codes in the words libarchive uses for the same problems.
    private static func error(_ status: Int32, after produced: Int64) -> ArchiveError {
        let what: String
        switch status {
        case ISAL_INVALID_BLOCK: what = "invalid deflate block"
        case ISAL_INVALID_SYMBOL: what = "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: what = "invalid deflate back-reference"
        case ISAL_INVALID_WRAPPER: what = "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: what = "unsupported gzip compression method"
        case ISAL_INCORRECT_CHECKSUM: what = "gzip checksum mismatch"
        default: what = "isal_inflate failed with status \(status)"
        }
        return ArchiveError("corrupt gzip data: \(what) (after \(produced) uncompressed bytes)")
    }
}
