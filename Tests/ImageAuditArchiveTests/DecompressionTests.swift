import Foundation
import ImageAuditArchive
import ImageAuditTestSupport
import Testing

/// Decompression, hashing and nesting: the pieces the layer pipeline is made of.
@Suite struct DecompressionTests {
    private static let payload: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: ($0 * 7) ^ ($0 >> 5)) }

    private func hex(_ digest: [UInt8]) -> String {
        digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test("compressed bytes are recognised by their magic number")
    func detection() throws {
        #expect(Compression.detect(try ExternalTools.compress([1], with: .gzip)) == .gzip)
        #expect(Compression.detect(try ExternalTools.compress([1], with: .zstd)) == .zstd)
        #expect(Compression.detect(try ExternalTools.compress([1], with: .xz)) == .xz)
        #expect(Compression.detect(Array("{\"a\":1}".utf8)) == .none)
        #expect(Compression.detect([0x1f]) == .none)
        #expect(Compression.detect([]) == .none)
    }

    @Test(
        "gzip, zstd and xz decompress to the original bytes, both sides hashed",
        arguments: [ExternalTools.Compressor.gzip, .zstd, .xz])
    func roundTrip(tool: ExternalTools.Compressor) throws {
        let compressed = try ExternalTools.compress(Self.payload, with: tool)
        let stored = HashingStream(MemoryStream(compressed, blockSize: 1000))
        let peek = PeekableStream(stored)
        let compression = Compression.detect(try peek.peek(Compression.magicLength))
        #expect(compression.rawValue == tool.rawValue)
        let plain = HashingStream(try LibArchiveDecompressor().decompressing(peek, as: compression))
        #expect(try plain.readAll(limit: 1 << 20) == Self.payload)
        #expect(hex(try plain.finish()) == FixtureSHA256.hex(Self.payload))
        #expect(hex(try stored.finish()) == FixtureSHA256.hex(compressed))
        #expect(plain.byteCount == Int64(Self.payload.count) && stored.byteCount == Int64(compressed.count))
    }

    @Test("concatenated gzip members (eStargz) read as one stream")
    func gzipMembers() throws {
        let first = try ExternalTools.compress(Array("first ".utf8), with: .gzip)
        let second = try ExternalTools.compress(Array("second".utf8), with: .gzip)
        let stream = try LibArchiveDecompressor().decompressing(MemoryStream(first + second), as: .gzip)
        #expect(try stream.readAll(limit: 100) == Array("first second".utf8))
    }

    @Test("corrupt or truncated compressed data is an error", arguments: [ExternalTools.Compressor.gzip, .zstd])
    func corrupt(tool: ExternalTools.Compressor) throws {
        let compressed = try ExternalTools.compress(Self.payload, with: tool)
        var flipped = compressed
        for index in stride(from: 20, to: flipped.count - 20, by: 97) { flipped[index] ^= 0x5a }
        let truncated = Array(compressed.prefix(compressed.count / 2))
        let compression = Compression.detect(compressed)
        for bad in [flipped, truncated] {
            #expect(throws: ArchiveError.self) {
                _ = try LibArchiveDecompressor().decompressing(MemoryStream(bad), as: compression).readAll(
                    limit: 1 << 20)
            }
        }
    }

    @Test("a gzip layer inside an outer tar is read in the same pass (nested streaming)")
    func nested() throws {
        var layer = TarWriter()
        layer.add("etc/passwd", .file(Array("root:x:0:0::/root:/bin/sh\n".utf8)))
        let layerBytes = layer.finished()
        let gzipped = try ExternalTools.compress(layerBytes, with: .gzip)
        var outer = TarWriter()
        outer.add("manifest.json", .file(Array("[]".utf8)))
        outer.add("blobs/sha256/x", .file(gzipped))
        outer.add("after", .file([1]))
        let reader = try ArchiveReader(stream: MemoryStream(outer.finished(), blockSize: 700))
        #expect(try reader.nextEntry()?.path == "manifest.json")
        #expect(try reader.nextEntry()?.path == "blobs/sha256/x")
        let stored = HashingStream(ArchiveEntryStream(reader: reader))
        let plain = HashingStream(try LibArchiveDecompressor().decompressing(stored, as: .gzip))
        let inner = try ArchiveReader(stream: plain)
        #expect(try inner.nextEntry()?.path == "etc/passwd")
        #expect(try ArchiveEntryStream(reader: inner).readAll(limit: 100) == Array("root:x:0:0::/root:/bin/sh\n".utf8))
        #expect(try inner.nextEntry() == nil)
        #expect(hex(try plain.finish()) == FixtureSHA256.hex(layerBytes))
        #expect(hex(try stored.finish()) == FixtureSHA256.hex(gzipped))
        #expect(try reader.nextEntry()?.path == "after")
    }

    @Test("a file range reads with pread, and a range past the end of the file is a truncation error")
    func fileRanges() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ia-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("f").path
        try Data(Self.payload).write(to: URL(fileURLWithPath: path))
        let file = try OpenFile(path: path)
        #expect(file.size == Int64(Self.payload.count) && file.isRegularFile)
        let middle = FileRangeStream(file: file, range: 1000..<151_000, blockSize: 4096)
        #expect(try middle.readAll(limit: 1 << 20) == Array(Self.payload[1000..<151_000]))
        let past = FileRangeStream(file: file, range: 199_000..<250_000)
        #expect(throws: ArchiveError.self) { try past.drain() }
        #expect(throws: ArchiveError.self) { try OpenFile(path: directory.appendingPathComponent("missing").path) }
        #expect(throws: ArchiveError("not a tar archive")) { try ArchiveReader(path: path).nextEntry() }
        var tar = TarWriter()
        tar.add("a", .file([1]))
        try Data(tar.finished()).write(to: URL(fileURLWithPath: path))
        #expect(try ArchiveReader(path: path).nextEntry()?.path == "a")
    }

    @Test("the reader skips unread entry data of a file range instead of reading it")
    func skipping() throws {
        var tar = TarWriter()
        tar.add("huge", .file([UInt8](repeating: 3, count: 3_000_000)))
        tar.add("next", .file([4]))
        let counting = CountingStream(MemoryStream(tar.finished(), blockSize: 16 * 1024))
        let reader = try ArchiveReader(stream: counting)
        #expect(try reader.nextEntry()?.path == "huge")
        #expect(try reader.nextEntry()?.path == "next")
        #expect(counting.delivered < 100_000)
    }
}

/// Counts the bytes actually delivered (not skipped).
private final class CountingStream: SkippableByteStream {
    let inner: MemoryStream
    var delivered = 0
    init(_ inner: MemoryStream) { self.inner = inner }
    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let block = try inner.nextBlock()
        delivered += block.count
        return block
    }
    func skip(_ count: Int64) throws(ArchiveError) -> Int64 { try inner.skip(count) }
}
