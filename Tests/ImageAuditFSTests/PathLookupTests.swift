import ImageAuditFS
import Testing

/// Path lookup with the kernel's semantics inside a chroot (path_resolution(7)).
@Suite struct PathLookupTests {
    private func symlink(_ path: String, _ target: String) -> LayerEntry {
        LayerEntry(path, .symlink(target: Array(target.utf8)))
    }

    private func file(_ path: String, mode: UInt32 = 0o755) -> LayerEntry {
        LayerEntry(path, .regular, permissions: mode)
    }

    private func tree(_ entries: [LayerEntry]) -> FileTree {
        var tree = FileTree()
        tree.apply(entries)
        return tree
    }

    private func resolved(_ tree: FileTree, _ path: String, follow: Bool = true) -> String? {
        guard case .success(let result) = tree.resolve(path, followFinalSymlink: follow) else { return nil }
        return PathBytes.display(result.path)
    }

    @Test("absolute symlinks are re-rooted at the image root")
    func absoluteSymlinksReRooted() {
        let fs = tree([file("usr/lib/ld.so"), symlink("lib64", "/usr/lib")])
        #expect(resolved(fs, "/lib64/ld.so") == "/usr/lib/ld.so")
    }

    @Test("relative symlinks resolve from the symlink's directory, through other symlinks")
    func relativeSymlinks() {
        let fs = tree([
            file("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), symlink("lib", "usr/lib"),
            symlink("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        ])
        #expect(resolved(fs, "/lib64/ld-linux-x86-64.so.2") == "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
    }

    @Test(".. at the root stays at the root, also through symlinks")
    func dotDotClamped() {
        let fs = tree([file("bin/app"), symlink("up", "../../../..")])
        #expect(resolved(fs, "/../../bin/app") == "/bin/app")
        #expect(resolved(fs, "/up/bin/app") == "/bin/app")
    }

    @Test(".. after a symlinked directory goes to the parent of its target")
    func dotDotAfterSymlink() {
        let fs = tree([file("a/b/target"), file("a/sibling"), symlink("link", "a/b")])
        #expect(resolved(fs, "/link/../sibling") == "/a/sibling")
    }

    @Test("40 symlinks resolve, 41 give ELOOP")
    func symlinkLimit() {
        var entries = [file("end")]
        for index in 0..<41 { entries.append(symlink("l\(index)", index == 0 ? "end" : "l\(index - 1)")) }
        let fs = tree(entries)
        #expect(resolved(fs, "/l39") == "/end")
        #expect(fs.resolve("/l40") == .failure(.tooManySymlinks))
    }

    @Test("a symlink loop gives ELOOP")
    func symlinkLoop() {
        let fs = tree([symlink("a", "b"), symlink("b", "a")])
        #expect(fs.resolve("/a") == .failure(.tooManySymlinks))
        #expect(fs.resolve("/a", followFinalSymlink: false).map(\.path) == .success(Array("/a".utf8)))
    }

    @Test("missing paths, dangling symlinks and files used as directories")
    func failures() {
        let fs = tree([file("bin/app"), symlink("dangling", "/nowhere/x")])
        #expect(fs.resolve("/bin/nope") == .failure(.notFound(missing: Array("/bin/nope".utf8))))
        #expect(fs.resolve("/dangling") == .failure(.notFound(missing: Array("/nowhere".utf8))))
        #expect(fs.resolve("/bin/app/x") == .failure(.notADirectory(path: Array("/bin/app".utf8))))
        #expect(fs.resolve("/bin/app/") == .failure(.notADirectory(path: Array("/bin/app".utf8))))
        #expect(fs.resolve("") == .failure(.notFound(missing: [])))
    }

    @Test("an empty symlink target is ENOENT")
    func emptySymlink() {
        let fs = tree([symlink("empty", "")])
        #expect(fs.resolve("/empty") == .failure(.notFound(missing: Array("/empty".utf8))))
    }

    @Test("directories must be searchable by the user, root may always search")
    func searchPermission() {
        let fs = tree([LayerEntry("private", .directory, permissions: 0o700), file("private/app")])
        let nobody = Credentials(uid: 65534, gid: 65534)
        #expect(fs.resolve("/private/app", as: nobody) == .failure(.searchDenied(path: Array("/private".utf8))))
        #expect(resolved(fs, "/private/app") == "/private/app")
        #expect((try? fs.resolve("/private/app", as: .root).get()) != nil)
    }

    @Test("execute permission: owner, then group, then other; root needs any x bit")
    func executePermission() {
        func attrs(_ mode: UInt32, uid: UInt32 = 1000, gid: UInt32 = 1000) -> FileAttributes {
            FileAttributes(type: .regular, permissions: mode, uid: uid, gid: gid)
        }
        let owner = Credentials(uid: 1000, gid: 50)
        let member = Credentials(uid: 2000, gid: 3000, supplementaryGroups: [1000])
        let other = Credentials(uid: 2000, gid: 2000)
        #expect(owner.mayExecute(attrs(0o100)))
        #expect(!owner.mayExecute(attrs(0o011)))  // the owner class decides, even if others may
        #expect(member.mayExecute(attrs(0o010)))
        #expect(!member.mayExecute(attrs(0o101)))
        #expect(other.mayExecute(attrs(0o001)))
        #expect(Credentials.root.mayExecute(attrs(0o001)))
        #expect(!Credentials.root.mayExecute(attrs(0o644)))
    }
}
