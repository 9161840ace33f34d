import Foundation
import ImageAuditELF
import ImageAuditFS
import ImageAuditTestSupport
import Testing

@testable import ImageAuditCore

/// What the layer reader keeps of file contents, and what it does not.
@Suite struct ContentCaptureTests {
    private func collect(_ file: [UInt8], dataLimit: Int? = nil, blockSize: Int = 97) -> (FileContent, Int64) {
        var collector = ContentCollector(size: Int64(file.count), dataLimit: dataLimit)
        var offset = 0
        while collector.needsMoreBytes && offset < file.count {
            let end = min(file.count, offset + blockSize)
            file[offset..<end].withUnsafeBytes { collector.feed($0, at: Int64(offset)) }
            offset = end
        }
        return (collector.finish(), Int64(offset))
    }

    private static let text = (0..<5000).map { UInt8(ascii: "a") + UInt8($0 % 26) }

    @Test("every file keeps its first 256 bytes, across block boundaries, and reading stops there")
    func head() {
        let (content, read) = collect(Self.text)
        #expect(content.head == Array(Self.text.prefix(256)))
        #expect(content.data == nil && content.elf == nil)
        #expect(read < 400)
    }

    @Test("a file the policy names is kept whole when it fits the cap, not when it does not")
    func wholeFiles() {
        #expect(collect(Self.text, dataLimit: 5000).0.data == Self.text)
        #expect(collect(Self.text, dataLimit: 4999).0.data == nil)
    }

    @Test("holes of sparse files read as zeros")
    func holes() {
        var collector = ContentCollector(size: 1000, dataLimit: 1000)
        [UInt8](repeating: 7, count: 10).withUnsafeBytes { collector.feed($0, at: 0) }
        [UInt8](repeating: 9, count: 10).withUnsafeBytes { collector.feed($0, at: 990) }
        let content = collector.finish()
        #expect(
            content.data == [UInt8](repeating: 7, count: 10) + [UInt8](repeating: 0, count: 980)
                + [UInt8](repeating: 9, count: 10))
        #expect(content.head.count == 256 && content.head[10...].allSatisfy { $0 == 0 })
    }

    @Test("a file starting with the ELF magic is handed to the ELF reader; reading stops after its ranges")
    func elf() {
        let file = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1] + [UInt8](repeating: 0, count: 300_000)
        let (content, read) = collect(file, blockSize: 4096)
        #expect(content.elf != nil)
        let wanted = ELFFile.rangesToCapture(prefix: Array(file.prefix(ELFFile.probeLength)), fileSize: file.count)
        let end = max(ELFFile.probeLength, wanted.map(\.upperBound).max() ?? 0)
        #expect(read >= Int64(min(end, file.count)) && read < Int64(min(end, file.count) + 4096 + 1))
        #expect(collect(Array("#!/bin/sh\n".utf8)).0.elf == nil)
        #expect(collect([0x7f, 0x45, 0x4c]).0.elf == nil)
    }

    @Test("a head rule keeps a #! script whole once its first bytes are in, however the blocks fall")
    func headRule() {
        let script = Array(("#!/bin/sh\n" + String(repeating: "echo hello\n", count: 100)).utf8)
        for blockSize in [1, 7, 256, 4096] {
            var collector = ContentCollector(
                size: Int64(script.count), dataLimit: nil, headRules: .scripts, budget: nil)
            var offset = 0
            while collector.needsMoreBytes && offset < script.count {
                let end = min(offset + blockSize, script.count)
                script[offset..<end].withUnsafeBytes { collector.feed($0, at: Int64(offset)) }
                offset = end
            }
            #expect(collector.finish().data == script, "block size \(blockSize)")
        }
        var plain = ContentCollector(size: 16, dataLimit: nil, headRules: .scripts)
        Array("echo no shebang\n".utf8).withUnsafeBytes { plain.feed($0, at: 0) }
        #expect(plain.finish().data == nil)
    }

    @Test("over the cap or past the budget: no data, and the content says why")
    func withheld() {
        let big = ContentCollector(size: 5000, dataLimit: 4999)
        #expect(big.finish().withheld == .cap(4999))
        let budget = ContentBudget(total: 1500)
        var first = ContentCollector(size: 1000, dataLimit: 4096, budget: budget)
        [UInt8](repeating: 1, count: 1000).withUnsafeBytes { first.feed($0, at: 0) }
        #expect(first.finish().data?.count == 1000)
        let second = ContentCollector(size: 1000, dataLimit: 4096, budget: budget)
        #expect(second.finish().withheld == .budget(1500) && second.finish().data == nil)
    }

    @Test("layer entries through the reader: /etc/passwd kept, a big binary not, a ./-prefixed loader kept")
    func throughTheReader() throws {
        let binary = [UInt8](repeating: 0x90, count: 200_000)
        let loader = [0x7f, 0x45, 0x4c, 0x46] + [UInt8](repeating: 1, count: 5000)
        let layer = try FixtureLayer(compression: .zstd) { tar in
            tar.add("./etc/passwd", .file(Array("root:x:0:0::/:/bin/sh\n".utf8)))
            tar.add("./usr/bin/big", .file(binary), mode: 0o755)
            tar.add("./lib/ld-musl-x86_64.so.1", .file(loader), mode: 0o755)
        }
        let image = try #require(
            try readImages(
                ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: .streamed
            ).first)
        let tree = image.tree
        #expect(
            try #require(tree.node(at: "/etc/passwd")).content(in: tree)?.data == Array("root:x:0:0::/:/bin/sh\n".utf8))
        let big = try #require(tree.node(at: "/usr/bin/big")).content(in: tree)
        #expect(big?.data == nil && big?.head.count == 256)
        #expect(tree.attributes(of: try #require(tree.node(at: "/usr/bin/big"))).size == 200_000)
        let musl = try #require(tree.node(at: "/lib/ld-musl-x86_64.so.1")).content(in: tree)
        #expect(musl?.data == loader && musl?.elf != nil)
    }
}

extension FileTree.NodeID {
    fileprivate func content(in tree: FileTree) -> FileContent? { tree.content(of: self) }
}

/// Real binaries of this machine through a layer: what the streaming capture parses equals
/// what parsing the whole file gives (the ELF reader's own oracle is readelf).
@Suite struct StreamedELFTests {
    private static let hostFiles = ["/usr/bin/ls", "/usr/lib/x86_64-linux-gnu/libc.so.6"]
        .filter { FileManager.default.fileExists(atPath: $0) }

    @Test("host binaries parse the same from the layer stream as from the whole file", arguments: ReadMode.allCases)
    func hostBinaries(mode: ReadMode) throws {
        guard !Self.hostFiles.isEmpty else { return }
        let files = try Self.hostFiles.map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: $0)))) }
        let layer = try FixtureLayer(compression: .gzip) { tar in
            for (path, bytes) in files { tar.add(String(path.dropFirst()), .file(bytes), mode: 0o755) }
        }
        let image = try #require(
            try readImages(ImageTarballs.write(ImageTarballs.dockerSave([FixtureImage(layers: [layer])])), mode: mode)
                .first)
        for (path, bytes) in files {
            let whole = try ELFFile(parsing: bytes)
            let node = try #require(image.tree.node(at: path))
            let streamed = try #require(image.tree.content(of: node)?.elf).get()
            #expect(streamed.interpreter == whole.interpreter, "\(path)")
            #expect(streamed.dynamic == whole.dynamic, "\(path)")
            #expect(
                streamed.versionNeeds == whole.versionNeeds && streamed.versionDefinitions == whole.versionDefinitions,
                "\(path)")
            #expect(streamed.symbols.definedCount == whole.symbols.definedCount, "\(path)")
            #expect(streamed.issues == whole.issues, "\(path)")
        }
    }
}
