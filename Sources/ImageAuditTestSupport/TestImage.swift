import ImageAuditELF
import ImageAuditFS

/// An image filesystem assembled in memory for loader tests: files with parsed ELF content,
/// symlinks, directories. Content is kept the way the layer reader keeps it: whole only where
/// the `requirements` (those of the code under test) ask for it.
public struct TestImage {
    public private(set) var entries: [LayerEntry] = []
    /// What the code under test declares it reads (`DynamicLoader.contentRequirements`, `Auditor.requirements`).
    public let requirements: ContentRequirements

    public init(reading requirements: ContentRequirements) {
        self.requirements = requirements
    }

    /// A regular file, kept as a real read would keep it (ELF files parsed).
    public mutating func file(_ path: String, _ bytes: [UInt8], mode: UInt32 = 0o755, uid: UInt32 = 0) {
        let content = FileContent.kept(
            bytes, at: PathBytes.lexicallyCleaned(Array(path.utf8)), under: requirements)
        entries.append(
            LayerEntry(path, .regular, permissions: mode, uid: uid, size: Int64(bytes.count), content: content))
    }

    /// A committed ELF fixture (`glibc/hello`) at `path`.
    public mutating func fixture(_ path: String, _ name: String, mode: UInt32 = 0o755) throws {
        file(path, try Fixtures.elf(name), mode: mode)
    }

    /// A text file (config files the loaders read), mode 0644.
    public mutating func text(_ path: String, _ text: String) {
        file(path, Array(text.utf8), mode: 0o644)
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
    public static func debian(glibc: String = "2.36", reading requirements: ContentRequirements) -> TestImage {
        var image = TestImage(reading: requirements)
        let lib = "/usr/lib/x86_64-linux-gnu"
        image.symlink("/lib", "usr/lib")
        image.symlink("/lib64", "usr/lib64")
        image.symlink("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
        image.file("\(lib)/ld-linux-x86-64.so.2", FakeLibraries.glibcLoader(version: glibc))
        image.file("\(lib)/libc.so.6", FakeLibraries.glibcLibc(version: glibc))
        image.file("\(lib)/libm.so.6", FakeLibraries.glibcLibm(version: glibc))
        image.file("\(lib)/libstdc++.so.6.0.30", FakeLibraries.libstdcxx())
        image.symlink("\(lib)/libstdc++.so.6", "libstdc++.so.6.0.30")
        image.file("\(lib)/libgcc_s.so.1", FakeLibraries.libgcc())
        return image
    }

    /// An Alpine-like base: `/lib/ld-musl-x86_64.so.1` (a stand-in musl libc) and its `libc.musl` link.
    public static func alpine(reading requirements: ContentRequirements) -> TestImage {
        var image = TestImage(reading: requirements)
        image.file("/lib/ld-musl-x86_64.so.1", FakeLibraries.musl())
        image.symlink("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
        image.directory("/usr/lib")
        return image
    }
}
