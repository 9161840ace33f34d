import ImageAuditFS
import Testing

/// Layer application, checked against the OCI image spec (`layer.md`) and containerd's unpacker.
@Suite struct LayerMergeTests {
    private func tree(_ layers: [LayerEntry]...) -> FileTree {
        var tree = FileTree()
        for layer in layers { tree.apply(layer) }
        return tree
    }

    private func paths(_ tree: FileTree) -> [String] {
        var result: [String] = []
        tree.walk { path, _ in result.append(PathBytes.display(path)) }
        return result
    }

    private func file(_ path: String, _ text: String = "", mode: UInt32 = 0o644) -> LayerEntry {
        LayerEntry(
            path, .regular, permissions: mode, size: Int64(text.utf8.count),
            content: FileContent(head: Array(text.utf8)))
    }

    private func dir(_ path: String, mode: UInt32 = 0o755) -> LayerEntry {
        LayerEntry(path, .directory, permissions: mode)
    }

    @Test("a whiteout removes the file from lower layers")
    func whiteoutRemovesLowerFile() {
        let merged = tree([dir("a"), file("a/keep"), file("a/gone")], [file("a/.wh.gone")])
        #expect(paths(merged) == ["/a", "/a/keep"])
    }

    @Test("a whiteout removes a whole lower directory")
    func whiteoutRemovesLowerDirectory() {
        let merged = tree([dir("a"), dir("a/b"), file("a/b/c")], [file("a/.wh.b")])
        #expect(paths(merged) == ["/a"])
    }

    @Test("a whiteout never removes what its own layer adds")
    func whiteoutSparesSameLayer() {
        let merged = tree([file("x")], [file("y"), file(".wh.y"), file(".wh.x")])
        #expect(paths(merged) == ["/y"])
    }

    @Test("an opaque marker hides lower children wherever it stands in the layer", arguments: [true, false])
    func opaqueIsOrderIndependent(markerFirst: Bool) {
        let lower = [dir("d"), file("d/old"), dir("d/sub"), file("d/sub/old2")]
        var upper = [dir("d"), file("d/new"), dir("d/sub"), file("d/sub/new2")]
        if markerFirst { upper.insert(file("d/.wh..wh..opq"), at: 1) } else { upper.append(file("d/.wh..wh..opq")) }
        let merged = tree(lower, upper)
        #expect(paths(merged) == ["/d", "/d/new", "/d/sub", "/d/sub/new2"])
    }

    @Test("an opaque directory keeps files of its layer that came without their own directory entry")
    func opaqueKeepsImplicitParents() {
        let merged = tree([dir("d"), file("d/old")], [file("d/.wh..wh..opq"), file("d/x/y")])
        #expect(paths(merged) == ["/d", "/d/x", "/d/x/y"])
    }

    @Test("whiteout metadata names are not files")
    func metadataIgnored() {
        let merged = tree([file(".wh..wh.plnk/123"), file(".wh..wh.aufs"), file("d/.wh..wh.x")])
        #expect(paths(merged) == ["/d"])
    }

    @Test("a file replaces a directory with everything below it")
    func fileReplacesDirectory() throws {
        let merged = tree([dir("a"), file("a/b")], [file("a", "x")])
        #expect(paths(merged) == ["/a"])
        #expect(merged.attributes(of: try #require(merged.node(at: "/a"))).type == .regular)
    }

    @Test("a directory replaces a file, and a directory over a directory keeps its children")
    func directoryReplacement() throws {
        let merged = tree([file("a"), dir("b", mode: 0o700), file("b/c")], [dir("a"), dir("b", mode: 0o750)])
        #expect(paths(merged) == ["/a", "/b", "/b/c"])
        let b = try #require(merged.node(at: "/b"))
        #expect(merged.attributes(of: b).permissions == 0o750)
    }

    @Test("names with ./, leading /, // and .. are cleaned lexically and stay inside the root")
    func namesAreCleaned() {
        let merged = tree([file("./a"), file("/b"), file("c//d"), file("../../e"), file("f/../g"), dir("./")])
        #expect(paths(merged) == ["/a", "/b", "/c", "/c/d", "/e", "/g"])
    }

    @Test("entries without parent entries get 0755 root-owned parents")
    func implicitParents() throws {
        let merged = tree([file("x/y/z")])
        let x = try #require(merged.node(at: "/x"))
        #expect(merged.attributes(of: x) == FileAttributes(type: .directory, permissions: 0o755))
    }

    @Test("a symlink's mode is 0777 whatever its tar header says, as lstat shows it (umoci agrees)")
    func symlinkMode() throws {
        let merged = tree([LayerEntry("l", .symlink(target: Array("x".utf8)), permissions: 0o644)])
        let link = try merged.resolve("/l", followFinalSymlink: false).get().node
        #expect(merged.attributes(of: link).permissions == 0o777)
    }

    @Test("a layer entry below a lower symlinked directory lands in the symlink's target")
    func parentSymlinksAreFollowed() {
        let merged = tree(
            [dir("usr"), dir("usr/lib"), LayerEntry("lib", .symlink(target: Array("usr/lib".utf8)))],
            [file("lib/libfoo.so")])
        #expect(paths(merged) == ["/lib", "/usr", "/usr/lib", "/usr/lib/libfoo.so"])
    }

    @Test("a whiteout below a symlinked directory removes from the target")
    func whiteoutThroughSymlink() {
        let merged = tree(
            [dir("usr/lib"), file("usr/lib/x"), LayerEntry("lib", .symlink(target: Array("/usr/lib".utf8)))],
            [file("lib/.wh.x")])
        #expect(paths(merged) == ["/lib", "/usr", "/usr/lib"])
    }

    @Test("non-UTF-8 names keep their bytes")
    func rawNames() throws {
        let name: [UInt8] = [0x63, 0x61, 0x66, 0xe9]  // "caf" + Latin-1 é
        let merged = tree([LayerEntry(path: name, kind: .regular, permissions: 0o644)])
        let children = merged.children(of: FileTree.root)
        #expect(children.map(\.name) == [name])
        #expect(try merged.resolve([0x2f] + name).get().path == [0x2f] + name)
    }

    @Test("a hard link is a copy of its target, in this layer or a lower one")
    func hardlinks() throws {
        let merged = tree(
            [file("bin/busybox", "ELF", mode: 0o755)],
            [LayerEntry("bin/sh", .hardlink(target: Array("bin/busybox".utf8))), file("bin/busybox", "new")])
        let sh = try #require(merged.node(at: "/bin/sh"))
        #expect(merged.attributes(of: sh).permissions == 0o755)
        #expect(merged.attributes(of: sh).size == 3)
        #expect(merged.content(of: sh)?.head == Array("ELF".utf8))
        let busybox = try #require(merged.node(at: "/bin/busybox"))
        #expect(merged.content(of: busybox)?.head == Array("new".utf8))
    }

    @Test("a hard link keeps the data when its target is whited out later")
    func hardlinkSurvivesWhiteout() throws {
        let merged = tree([file("a", "data"), LayerEntry("b", .hardlink(target: Array("a".utf8)))], [file(".wh.a")])
        #expect(paths(merged) == ["/b"])
        #expect(merged.content(of: try #require(merged.node(at: "/b")))?.head == Array("data".utf8))
    }

    @Test("a hard link to nothing or to a directory is skipped and reported")
    func badHardlinks() {
        var merged = FileTree()
        let issues = merged.apply([
            dir("d"), LayerEntry("x", .hardlink(target: Array("missing".utf8))),
            LayerEntry("y", .hardlink(target: Array("d".utf8))),
        ])
        #expect(issues.count == 2)
        #expect(issues.map { PathBytes.display($0.path) } == ["x", "y"])
        #expect(paths(merged) == ["/d"])
    }

    @Test("an entry below a regular file is skipped and reported")
    func entryBelowFile() {
        var merged = FileTree()
        let issues = merged.apply([file("f"), file("f/g")])
        #expect(issues.count == 1)
        #expect(paths(merged) == ["/f"])
    }

    @Test("node count skips removed subtrees")
    func nodeCount() {
        let merged = tree([dir("a"), file("a/b"), file("c")], [file(".wh.a")])
        #expect(merged.nodeCount == 1)
    }
}
