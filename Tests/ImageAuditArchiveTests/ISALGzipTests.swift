import ImageAuditArchive
import ImageAuditTestSupport
import Testing

/// The ISA-L gzip decoder against the same inputs as libarchive's: identical bytes out, the
/// same kind of clean error for bad input, whatever the block boundaries.
@Suite struct ISALGzipTests {
    private static let payload: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 7)) }

    private func inflate(
        _ bytes: [UInt8], blockSize: Int = 64 * 1024, with decompressor: any Decompressor = ISALDecompressor()
    )
        throws -> [UInt8]
    {
        try decompressor.decompressing(MemoryStream(bytes, blockSize: blockSize), as: .gzip).readAll(limit: 1 << 24)
    }

    @Test("the same bytes as libarchive, whatever the input block size", arguments: [1, 7, 512, 65_536, 1 << 22])
    func sameAsLibArchive(blockSize: Int) throws {
        let compressed = try ExternalTools.compress(Self.payload, with: .gzip)
        #expect(try inflate(compressed, blockSize: blockSize) == Self.payload)
        #expect(try inflate(compressed, blockSize: blockSize, with: LibArchiveDecompressor()) == Self.payload)
    }

    @Test("several members, an empty one among them, read as one stream", arguments: [1, 3, 4096])
    func multiMember(blockSize: Int) throws {
        let parts: [[UInt8]] = [Array(Self.payload[0..<100_000]), [], Array(Self.payload[100_000...])]
        let members = try parts.flatMap { try ExternalTools.compress($0, with: .gzip) }
        #expect(try inflate(members, blockSize: blockSize) == Self.payload)
        #expect(try inflate(members, blockSize: blockSize, with: LibArchiveDecompressor()) == Self.payload)
    }

    @Test("concatenated gzip files (cat a.gz b.gz), then zero padding, which is ignored like libarchive does")
    func concatenatedAndPadded() throws {
        let first = try ExternalTools.compress(Array("first ".utf8), with: .gzip)
        let second = try ExternalTools.compress(Array("second".utf8), with: .gzip)
        let padded = first + second + [UInt8](repeating: 0, count: 1024)
        #expect(try inflate(padded, blockSize: 5) == Array("first second".utf8))
        #expect(try inflate(padded, with: LibArchiveDecompressor()) == Array("first second".utf8))
    }

    @Test("corrupt data, a bad trailer checksum and truncation are clean errors (libarchive: corrupt and truncated)")
    func badInput() throws {
        let compressed = try ExternalTools.compress(Self.payload, with: .gzip)
        var flipped = compressed
        for index in stride(from: 20, to: flipped.count - 20, by: 97) { flipped[index] ^= 0x5a }
        var badCRC = compressed
        badCRC[badCRC.count - 6] ^= 0xff
        let truncated = Array(compressed.prefix(compressed.count / 2))
        let headerOnly = Array(compressed.prefix(5))
        let cases: [([UInt8], String)] = [
            (flipped, "corrupt gzip data"), (badCRC, "gzip checksum mismatch"), (truncated, "truncated gzip input"),
            (headerOnly, "truncated gzip input"),
        ]
        for (number, (bad, expected)) in cases.enumerated() {
            for blockSize in [1, 4096] {
                #expect {
                    _ = try inflate(bad, blockSize: blockSize)
                } throws: { error in
                    (error as? ArchiveError)?.message.contains(expected) == true
                }
            }
            // libarchive 3.6.2's gzip filter checks neither the trailer's CRC-32 nor that a member
            // ends (a lone header reads as empty): ISA-L is stricter there (the diff_id check
            // would catch the first for a layer anyway).
            if number == 1 || number == 3 { continue }
            #expect(throws: ArchiveError.self, "case \(number)") {
                _ = try inflate(bad, with: LibArchiveDecompressor())
            }
        }
    }

    @Test("after a member, 1f starts another one whose header must be valid; other trailing bytes are ignored")
    func trailingBytes() throws {
        let compressed = try ExternalTools.compress(Array("payload".utf8), with: .gzip)
        #expect(throws: ArchiveError("corrupt gzip data: invalid gzip header (after 7 uncompressed bytes)")) {
            _ = try inflate(compressed + [0x1f, 0x00] + [UInt8](repeating: 7, count: 30))
        }
        #expect(try inflate(compressed + Array("trailing junk".utf8), blockSize: 3) == Array("payload".utf8))
    }

    @Test("the default decompressor uses ISA-L for gzip, libzstd for zstd and libarchive for xz")
    func defaultChoice() throws {
        for tool in [ExternalTools.Compressor.zstd, .xz] {
            let compressed = try ExternalTools.compress(Self.payload, with: tool)
            let stream = try defaultDecompressor.decompressing(
                MemoryStream(compressed), as: Compression.detect(compressed))
            #expect(try stream.readAll(limit: 1 << 24) == Self.payload)
        }
        #expect(defaultDecompressor is ISALDecompressor)
    }
}
