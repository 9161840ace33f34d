import ImageAuditArchive
import ImageAuditTestSupport
import Testing

/// The tar reader over in-memory tars written by `TarWriter`.
@Suite struct ArchiveReaderTests {
    private func entries(_ tar: [UInt8], blockSize: Int = 64 * 1024) throws -> [ArchiveEntry] {
        let reader = try ArchiveReader(stream: MemoryStream(tar, blockSize: blockSize))
        var result: [ArchiveEntry] = []
        while let entry = try reader.nextEntry() { result.append(entry) }
        return result
    }

    @Test("headers become value snapshots: kind, mode, owner, size, link targets")
    func snapshots() throws {
        var tar = TarWriter()
        tar.add("bin/", .directory, mode: 0o755)
        tar.add("bin/sh", .file(Array("#!x".utf8)), mode: 0o4755, uid: 1000, gid: 50)
        tar.add("bin/ash", .symlink("sh"))
        tar.add("bin/hard", .hardlink("bin/sh"))
        tar.add("dev/null", .characterDevice(major: 1, minor: 3), mode: 0o666)
        tar.add("dev/sda", .blockDevice(major: 8, minor: 0))
        tar.add("run/fifo", .fifo)
        let read = try entries(tar.finished())
        #expect(read.map(\.path) == ["bin/", "bin/sh", "bin/ash", "bin/hard", "dev/null", "dev/sda", "run/fifo"])
        #expect(read.map(\.kind) == [.directory, .regular, .symlink, .hardlink, .characterDevice, .blockDevice, .fifo])
        #expect(read[1].permissions == 0o4755 && read[1].uid == 1000 && read[1].gid == 50 && read[1].size == 3)
        #expect(read[2].linkTarget == Array("sh".utf8))
        #expect(read[3].linkTarget == Array("bin/sh".utf8))
        #expect(read[0].linkTarget == nil)
    }

    @Test("pax and GNU long names and link targets come back whole", arguments: [TarWriter.LongNames.pax, .gnu])
    func longNames(style: TarWriter.LongNames) throws {
        let long = String(repeating: "d/", count: 80) + "file"
        let target = String(repeating: "t", count: 150)
        var tar = TarWriter(longNames: style)
        tar.add(long, .file([1, 2, 3]))
        tar.add("link", .symlink(target))
        let read = try entries(tar.finished())
        #expect(read.map(\.path) == [long, "link"])
        #expect(read[1].linkTarget == Array(target.utf8))
    }

    @Test("non-UTF-8 names keep their bytes, in pax and GNU archives", arguments: [TarWriter.LongNames.pax, .gnu])
    func rawNames(style: TarWriter.LongNames) throws {
        let latin1: [UInt8] = Array("caf".utf8) + [0xe9]
        let utf8 = Array("café".utf8)
        var tar = TarWriter(longNames: style)
        tar.add(name: latin1, .file([]))
        tar.add(name: utf8, .file([]))
        #expect(try entries(tar.finished()).map(\.pathBytes) == [latin1, utf8])
    }

    @Test(
        "an entry's data offset points at its bytes, after pax and GNU long-name records",
        arguments: [TarWriter.LongNames.pax, .gnu])
    func dataOffsets(style: TarWriter.LongNames) throws {
        var tar = TarWriter(longNames: style)
        let contents: [(String, [UInt8])] = [
            ("short", Array("first".utf8)),
            (String(repeating: "long/", count: 30) + "name", Array("second file".utf8)),
            ("dir/" + String(repeating: "x", count: 120), [UInt8](repeating: 7, count: 1500)),
            ("last", Array("end".utf8)),
        ]
        for (name, data) in contents { tar.add(name, .file(data)) }
        tar.add(
            "a-link-with-a-" + String(repeating: "long-", count: 30) + "target",
            .symlink(String(repeating: "y", count: 200)))
        tar.add("tail", .file(Array("tail".utf8)))
        let bytes = tar.finished()
        // Tiny blocks: offsets must not depend on how libarchive's read-ahead is cut.
        for blockSize in [100, 512, 64 * 1024] {
            let read = try entries(bytes, blockSize: blockSize).filter { $0.kind == .regular }
            for entry in read {
                let start = Int(entry.dataOffset)
                let expected = contents.first { $0.0 == entry.path }?.1 ?? Array(entry.path.utf8)
                #expect(Array(bytes[start..<start + Int(entry.size)]) == expected, "\(entry.path) at \(start)")
            }
        }
    }

    @Test("entry data reads back in blocks, and unread data is skipped")
    func dataBlocks() throws {
        let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var tar = TarWriter()
        tar.add("big", .file(big))
        tar.add("skipped", .file([UInt8](repeating: 1, count: 10_000)))
        tar.add("small", .file([9, 8, 7]))
        let reader = try ArchiveReader(stream: MemoryStream(tar.finished(), blockSize: 4096))
        _ = try reader.nextEntry()
        var data: [UInt8] = []
        while let block = try reader.nextDataBlock() {
            #expect(block.offset == Int64(data.count))
            data.append(contentsOf: block.bytes)
        }
        #expect(data == big)
        #expect(try reader.nextEntry()?.path == "skipped")
        #expect(try reader.nextEntry()?.path == "small")
        #expect(try ArchiveEntryStream(reader: reader).readAll(limit: 100) == [9, 8, 7])
        #expect(try reader.nextEntry() == nil)
        #expect(try reader.nextEntry() == nil)
    }

    @Test("an archive that ends without the end-of-archive blocks still reads")
    func missingTrailer() throws {
        var tar = TarWriter()
        tar.add("a", .file([1]))
        #expect(try entries(tar.bytes).map(\.path) == ["a"])
    }

    @Test("a truncated archive is an error, not a short listing")
    func truncated() throws {
        var tar = TarWriter()
        tar.add("a", .file([UInt8](repeating: 1, count: 5000)))
        let cut = Array(tar.finished().prefix(2000))
        let reader = try ArchiveReader(stream: MemoryStream(cut))
        #expect(try reader.nextEntry()?.path == "a")
        #expect(throws: ArchiveError.self) { while try reader.nextDataBlock() != nil {} }
    }

    @Test("a header cut in the middle is an error")
    func truncatedHeader() throws {
        var tar = TarWriter()
        tar.add("a", .file([1]))
        tar.add("b", .file([2]))
        let cut = Array(tar.bytes.prefix(1024 + 300))
        #expect(throws: ArchiveError.self) { try entries(cut) }
    }

    @Test("bytes that are not a tar are refused with a clear message")
    func notATar() throws {
        let junk = Array("{\"this is\": \"json, not a tar\"}".utf8) + [UInt8](repeating: 0x41, count: 2000)
        #expect(throws: ArchiveError("not a tar archive")) { try entries(junk) }
    }

    @Test("a damaged header checksum is an error and never loops")
    func damagedHeader() throws {
        var tar = TarWriter()
        tar.add("a", .file([1]))
        tar.add("b", .file([2]))
        var bytes = tar.finished()
        bytes[1024 + 150] ^= 0x11  // the second header's checksum field
        #expect(throws: ArchiveError.self) { try entries(bytes) }
    }

    @Test("an empty stream is an empty archive or an error, never a crash")
    func empty() throws {
        let outcome = Result { try entries([]) }
        if case .success(let read) = outcome { #expect(read.isEmpty) }
    }
}
