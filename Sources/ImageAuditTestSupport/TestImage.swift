import ImageAuditELF
import ImageAuditFS

/// An image filesystem assembled in memory for loader tests: files with parsed ELF content,
/// symlinks, directories. Content is kept the way the layer reader keeps it.
public struct TestImage {
    public private(set) var entries: [LayerEntry] = []

    public init() {}

    /// A regular file. ELF files are parsed; `keepWhole` keeps all bytes (ld.so, ld.so.cache, path files).
    public mutating func file(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o755, uid: UInt32 = 0, keepWhole: Bool = false) {
        let isELF = bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46])
        let elf: Result<ELFFile, ELFError>? = isELF ? Result { () throws(ELFError) in try ELFFile(parsing: bytes) } : nil
        let content = FileContent(
            head: Array(bytes.prefix(FileContent.headLimit)), elf: elf, data: keepWhole ? bytes : nil)
        entries.append(LayerEntry(path, .regular, permissions: mode, uid: uid, size: Int64(bytes.count), content: content))
    }

    /// A committed ELF fixture (`glibc/hello`) at `path`.
    public mutating func fixture(_ path: String, _ name: String, mode: UInt32 = 0o755) throws {
        file(path, try Fixtures.elf(name), mode: mode)
    }

    /// A text file kept whole (config files the loaders read).
    public mutating func text(_ path: String, _ text: String) {
        file(path, Array(text.utf8), mode: 0o644, keepWhole: true)
    }

    public mutating func symlink(_ path: String, _ target: String) {
        entries.append(LayerEntry(path, .symlink(target: Array(target.utf8))))
    }

    public mutating func directory(_ path: String, mode: UInt32 = 0o755) {
        entries.append(LayerEntry(path, .directory, permissions: mode))
    }

    /// The merged tree.
    public var tree: FileTree {
        var tree = FileTree()
        tree.apply(entries)
        return tree
    }

    /// A Debian-like amd64 base: merged `/usr`, `/lib64/ld-linux-x86-64.so.2`, stand-in glibc
    /// libraries (libc.so.6 defining versions up to `glibc`), libstdc++ and libgcc_s, and an
    /// `ld.so` carrying Debian's `system_dirs` and version string.
    public static func debian(glibc: String = "2.36") -> TestImage {
        var image = TestImage()
        let lib = "/usr/lib/x86_64-linux-gnu"
        image.symlink("/lib", "usr/lib")
        image.symlink("/lib64", "usr/lib64")
        image.symlink("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        image.file("\(lib)/ld-linux-x86-64.so.2", FakeLibraries.glibcLoader(version: glibc), keepWhole: true)
        image.file("\(lib)/libc.so.6", FakeLibraries.glibcLibc(version: glibc))
        image.file("\(lib)/libm.so.6", FakeLibraries.glibcLibm(version: glibc))
        image.file("\(lib)/libstdc++.so.6.0.30", FakeLibraries.libstdcxx())
        image.symlink("\(lib)/libstdc++.so.6", "libstdc++.so.6.0.30")
        image.file("\(lib)/libgcc_s.so.1", FakeLibraries.libgcc())
        return image
    }

    /// An Alpine-like base: `/lib/ld-musl-x86_64.so.1` (a stand-in musl libc) and its `libc.musl` link.
    public static func alpine() -> TestImage {
        var image = TestImage()
        image.file("/lib/ld-musl-x86_64.so.1", FakeLibraries.musl())
        image.symlink("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
        image.directory("/usr/lib")
        return image
    }
}
