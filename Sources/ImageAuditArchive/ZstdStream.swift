internal import CZstd

/// The uncompressed bytes of a zstd stream of one or more frames, through libzstd's streaming
/// decoder called directly: libarchive's raw format would copy every block once more
/// (docs/performance.md). Frames follow each other; skippable frames are skipped by libzstd.
/// After a frame, a byte that cannot start a frame (`28`, or `50`–`5f` of a skippable one) ends
/// the stream and the rest is ignored, as ``ISALGzipStream`` ignores bytes after a gzip
/// member (the digests still cover them: the caller's hashing stream reads to the end).
///
/// Each frame's checksum, when it has one, is checked by libzstd.
final class ZstdStream: BufferFillingStream {
    private let source: any ByteStream
    private let context: OpaquePointer
    private let output: UnsafeMutableRawBufferPointer
    private var input = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    /// The source has delivered its last block.
    private var sourceEnded = false
    /// Inside a frame: libzstd wants more input (or has more output) before it ends.
    private var frameOpen = false
    /// The last call filled the output: libzstd may hold more without new input.
    private var outputFull = false
    /// The last frame ended and nothing follows.
    private var finished = false
    /// Bytes decompressed so far (for error messages).
    private var produced: Int64 = 0

    init(_ source: any ByteStream, outputSize: Int = 256 * 1024) throws(ArchiveError) {
        guard let context = ZSTD_createDStream() else { throw ArchiveError("out of memory") }
        self.source = source
        self.context = context
        output = .allocate(byteCount: outputSize, alignment: 64)
    }

    deinit {
        ZSTD_freeDStream(context)
        output.deallocate()
    }

    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: output.baseAddress, count: try nextBlock(into: output))
    }

    /// Decompresses straight into `buffer` (a ``PipelinedStream``'s slot: no copy).
    func nextBlock(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        while !finished {
            if input.pos == input.size && !outputFull {
                try refill()
                if input.pos == input.size {
                    if frameOpen {
                        throw ArchiveError("truncated zstd input (the data ends after \(produced) uncompressed bytes)")
                    }
                    finished = true
                    break
                }
            }
            if !frameOpen, !outputFull, !startsFrame() {
                finished = true
                break
            }
            var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let status = ZSTD_decompressStream(context, &out, &input)
            if ZSTD_isError(status) != 0 {
                let name = ZSTD_getErrorName(status).map { String(cString: $0) } ?? "error \(status)"
                throw ArchiveError("corrupt zstd data: \(name) (after \(produced) uncompressed bytes)")
            }
            frameOpen = status != 0
            // A frame that ended exactly as the output filled holds nothing more: asking libzstd
            // again without input would start a new frame and report it open (a false
            // "truncated" at the end of the stream, seen with network-sized input blocks).
            outputFull = frameOpen && out.pos == out.size
            if out.pos > 0 {
                produced += Int64(out.pos)
                return out.pos
            }
        }
        return 0
    }

    /// Points the decoder at the source's next non-empty block (valid until the next call on it).
    private func refill() throws(ArchiveError) {
        guard !sourceEnded else { return }
        let block = try source.nextBlock()
        guard let base = block.baseAddress, !block.isEmpty else {
            sourceEnded = true
            return
        }
        input = ZSTD_inBuffer(src: base, size: block.count, pos: 0)
    }

    /// Between frames: whether the next byte can start a zstd or a skippable frame.
    private func startsFrame() -> Bool {
        guard let base = input.src, input.pos < input.size else { return true }
        let first = base.load(fromByteOffset: input.pos, as: UInt8.self)
        return first == 0x28 || (first & 0xf0) == 0x50
    }
}
