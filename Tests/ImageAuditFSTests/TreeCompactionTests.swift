import Testing

@testable import ImageAuditFS

/// Defect 1 of issue 16: memory follows the merged tree, not the entries applied.
@Suite struct TreeCompactionTests {
    private func layer(_ count: Int) -> [LayerEntry] {
        (0..<count).map { index in
            LayerEntry(
                path: Array("d\(index % 10)/f\(index)".utf8), kind: .regular, permissions: 0o644, uid: 0, gid: 0,
                size: 0, content: nil)
        }
    }

    @Test("one layer applied 200 times keeps about one layer of records, and the same tree")
    func repeatedLayer() {
        let entries = layer(2000)
        var once = FileTree()
        once.apply(entries)
        var many = FileTree()
        for _ in 0..<200 { many.apply(entries) }
        #expect(many.nodeCount == 2010 && once.nodeCount == 2010)
        #expect(many.records.count <= 2 * 2010 + 1024 + 2010, "\(many.records.count) records")
        var paths: [[UInt8]] = []
        many.walk { path, _ in paths.append(path) }
        var expected: [[UInt8]] = []
        once.walk { path, _ in expected.append(path) }
        #expect(paths == expected)
        #expect(many.resolve("/d3/f1993").map(\.path) == .success(Array("/d3/f1993".utf8)))
    }

    @Test("a whiteout of a big directory frees it at the end of the layer; the rest still resolves")
    func whiteout() {
        var tree = FileTree()
        tree.apply(layer(3000))
        tree.apply(
            [
                LayerEntry(
                    path: Array("d1/.wh..wh..opq".utf8), kind: .regular, permissions: 0, uid: 0, gid: 0, size: 0,
                    content: nil)
            ]
                + (0..<10).map {
                    LayerEntry(
                        path: Array(".wh.d\($0)".utf8), kind: .regular, permissions: 0, uid: 0, gid: 0, size: 0,
                        content: nil)
                })
        #expect(tree.nodeCount == 0)
        #expect(tree.records.count == 1)
        tree.apply(layer(20))
        #expect(tree.nodeCount == 30)
        #expect(tree.node(at: "/d9/f19") != nil)
    }
}
