import ImageAuditCore
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// Layers read in parallel give exactly what one worker, or one streaming pass, gives.
@Suite struct ParallelReadTests {
    private func snapshot(_ image: Image) -> [String] {
        var lines: [String] = []
        image.tree.walk { path, node in
            let attributes = image.tree.attributes(of: node)
            let head = image.tree.content(of: node)?.head.count ?? -1
            lines.append(
                "\(PathBytes.display(path)) \(attributes.type) \(attributes.permissions) \(attributes.size) \(head)")
        }
        return lines + image.layers.map { "\($0.digest) \($0.diffID)" }
    }

    @Test("eight layers, one to eight workers, and the streaming pass agree")
    func sameResult() throws {
        var layers: [FixtureLayer] = []
        for number in 0..<8 {
            layers.append(
                try FixtureLayer(compression: number.isMultiple(of: 2) ? .gzip : nil) { tar in
                    tar.add("shared/file", .file(Array("layer \(number)".utf8)))
                    tar.add(
                        "layer\(number)/data", .file([UInt8](repeating: UInt8(number), count: 10_000 * (number + 1))))
                    if number > 0 { tar.add("layer\(number - 1)/.wh.data", .file([])) }
                })
        }
        let tar = ImageTarballs.write(ImageTarballs.dockerSaveOCI([FixtureImage(names: ["p:1"], layers: layers)]))
        let serial = snapshot(try #require(try readImages(tar, mode: .randomAccess, jobs: 1).first))
        for jobs in [2, 3, 8] {
            #expect(snapshot(try #require(try readImages(tar, mode: .randomAccess, jobs: jobs).first)) == serial)
        }
        #expect(snapshot(try #require(try readImages(tar, mode: .streamed).first)) == serial)
        #expect(serial.filter { $0.hasPrefix("/layer") && $0.contains("/data ") }.count == 1)
    }
}
