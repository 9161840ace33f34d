import ImageAuditArchive
import ImageAuditTestSupport
import Synchronization
import Testing

/// The stream that decompresses on a thread of its own: the same bytes as the source however
/// the blocks are cut, the source's errors at the same place, and no thread left behind when
/// the reader stops early.
@Suite struct PipelinedStreamTests {
    private static let payload: [UInt8] = (0..<1_000_003).map { UInt8(truncatingIfNeeded: ($0 * 131) ^ ($0 >> 9)) }

    @Test(
        "every byte, in order, whatever the source's and the ring's block sizes",
        arguments: [(1, 512), (4096, 512), (65_536, 4096), (1 << 21, 256 * 1024)])
    func sameBytes(sourceBlock: Int, slotSize: Int) throws {
        let stream = PipelinedStream(MemoryStream(Self.payload, blockSize: sourceBlock), slots: 3, slotSize: slotSize)
        #expect(try stream.readAll(limit: 1 << 24) == Self.payload)
        // After the end, the end again.
        #expect(try stream.nextBlock().isEmpty)
    }

    @Test("ISA-L inflates straight into the ring's slots: the same bytes as inflating alone")
    func gzipIntoSlots() throws {
        let compressed = try ExternalTools.compress(Self.payload, with: .gzip)
        for blockSize in [7, 65_536] {
            let inflated = try ISALDecompressor().decompressing(
                MemoryStream(compressed, blockSize: blockSize), as: .gzip)
            let hashed = HashingStream(PipelinedStream(inflated, slots: 2, slotSize: 1000))
            #expect(try hashed.readAll(limit: 1 << 24) == Self.payload)
            #expect(try hashed.finish() == SHA256.hash(Self.payload))
        }
    }

    @Test("a corrupt gzip stream fails the reader with the decompressor's error")
    func errorsTravel() throws {
        var compressed = try ExternalTools.compress(Self.payload, with: .gzip)
        compressed[compressed.count - 6] ^= 0xff
        let inflated = try ISALDecompressor().decompressing(MemoryStream(compressed), as: .gzip)
        let stream = PipelinedStream(inflated)
        #expect {
            try stream.drain()
        } throws: { error in
            (error as? ArchiveError)?.message.contains("gzip checksum mismatch") == true
        }
        #expect(try stream.nextBlock().isEmpty)
    }

    @Test("a reader that stops early stops the producer, which reads no further than the ring holds")
    func stopsEarly() throws {
        let source = CountingStream(blocks: 10_000, blockSize: 4096)
        do {
            let stream = PipelinedStream(source, slots: 4, slotSize: 4096)
            #expect(try stream.nextBlock().count == 4096)
        }
        // The stream is gone: its producer has finished (deinit waits), having filled at most
        // the four slots and one more block it was copying.
        let read = source.delivered.load(ordering: .sequentiallyConsistent)
        #expect(read >= 1 && read <= 6, "read \(read) blocks")
    }

    @Test("a stream never read starts no thread and reads nothing")
    func neverRead() {
        let source = CountingStream(blocks: 10, blockSize: 16)
        _ = PipelinedStream(source)
        #expect(source.delivered.load(ordering: .sequentiallyConsistent) == 0)
    }
}

/// `blocks` blocks of zeros, counting how many were taken.
private final class CountingStream: ByteStream, @unchecked Sendable {
    let delivered = Atomic<Int>(0)
    private let blocks: Int
    private let buffer: UnsafeMutableRawBufferPointer

    init(blocks: Int, blockSize: Int) {
        self.blocks = blocks
        buffer = .allocate(byteCount: blockSize, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { buffer.deallocate() }

    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let taken = delivered.add(1, ordering: .sequentiallyConsistent).oldValue
        guard taken < blocks else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(buffer)
    }
}
