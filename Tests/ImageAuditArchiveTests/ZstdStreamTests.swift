import ImageAuditArchive
import ImageAuditTestSupport
import Testing

/// zstd through libzstd directly (the default decompressor) against libarchive's zstd filter:
/// the same bytes out, clean errors for bad input, whatever the block boundaries.
@Suite struct ZstdStreamTests {
    private static let payload: [UInt8] = (0..<700_001).map { UInt8(truncatingIfNeeded: ($0 * 29) ^ ($0 >> 5)) }

    private func decompress(
        _ bytes: [UInt8], blockSize: Int = 64 * 1024, with decompressor: any Decompressor = defaultDecompressor
    ) throws -> [UInt8] {
        try decompressor.decompressing(MemoryStream(bytes, blockSize: blockSize), as: .zstd).readAll(limit: 1 << 24)
    }

    @Test("the same bytes as libarchive, whatever the input block size", arguments: [1, 7, 4096, 1 << 22])
    func sameAsLibArchive(blockSize: Int) throws {
        let compressed = try ExternalTools.compress(Self.payload, with: .zstd)
        #expect(try decompress(compressed, blockSize: blockSize) == Self.payload)
        #expect(try decompress(compressed, blockSize: blockSize, with: LibArchiveDecompressor()) == Self.payload)
    }

    @Test(
        "a frame ending exactly as the 256 KiB output buffer fills ends the stream cleanly",
        arguments: [4096, 65_536, 1 << 22])
    func frameEndsWithFullOutput(blockSize: Int) throws {
        // 4 × 256 KiB: libzstd's last call fills the output and ends the frame at once; the
        // stream once asked libzstd again and took its "next frame" hint for an open frame.
        let payload = (0..<(4 << 18)).map { UInt8(truncatingIfNeeded: ($0 * 29) ^ ($0 >> 5)) }
        let compressed = try ExternalTools.compress(payload, with: .zstd)
        #expect(try decompress(compressed, blockSize: blockSize) == payload)
    }

    @Test("several frames, an empty one among them, read as one stream (zstd -c a; zstd -c b)")
    func frames() throws {
        let parts: [[UInt8]] = [Array(Self.payload[0..<100_000]), [], Array(Self.payload[100_000...])]
        let frames = try parts.flatMap { try ExternalTools.compress($0, with: .zstd) }
        for blockSize in [3, 65_536] {
            #expect(try decompress(frames, blockSize: blockSize) == Self.payload)
        }
    }

    @Test("a skippable frame is skipped; bytes after the last frame that cannot start one are ignored")
    func skippableAndTrailing() throws {
        let compressed = try ExternalTools.compress(Array("payload".utf8), with: .zstd)
        // Magic 0x184D2A50 (little-endian), 4 bytes of length, then that many bytes.
        let skippable: [UInt8] = [0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]
        #expect(try decompress(skippable + compressed + [0, 0, 0, 0], blockSize: 2) == Array("payload".utf8))
    }

    @Test("corrupt data, a truncated frame and a bad frame checksum are clean errors")
    func badInput() throws {
        let compressed = try ExternalTools.compress(Self.payload, with: .zstd)
        var flipped = compressed
        for index in stride(from: 20, to: flipped.count - 20, by: 97) { flipped[index] ^= 0x5a }
        let truncated = Array(compressed.prefix(compressed.count / 2))
        let cases: [([UInt8], String)] = [
            (flipped, "corrupt zstd data"), (truncated, "truncated zstd input"),
            (Array(compressed.prefix(6)), "truncated zstd input"),
        ]
        for (bad, expected) in cases {
            for blockSize in [1, 4096] {
                #expect {
                    _ = try decompress(bad, blockSize: blockSize)
                } throws: { error in
                    (error as? ArchiveError)?.message.contains(expected) == true
                }
            }
        }
    }
}
