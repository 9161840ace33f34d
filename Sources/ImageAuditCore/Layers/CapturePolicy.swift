/// Which files the layer reader keeps whole, and up to what size.
///
/// Everything else is summarised (type, mode, owner, size, the first 256 bytes, ELF headers), so
/// memory follows the number of files, not their bytes. These are the small files the audit and
/// `inspect` read: accounts, the distribution, the dynamic loader's configuration and the
/// loaders themselves (the loader model reads glibc's system directories out of `ld.so`).
/// A file over its cap is kept without ``FileContent/data``.
public struct CapturePolicy: Sendable, Hashable {
    /// Caps for exact paths (relative to the image root, no leading `/`).
    public var exactPaths: [String: Int]
    /// Caps for the direct children of these directories.
    public var directories: [String: Int]
    /// The cap for files named like dynamic loaders, anywhere: `ld-*.so*`, `ld-linux*`,
    /// `ld-musl-*` (which also covers musl's search path file `/etc/ld-musl-ARCH.path`),
    /// `ld64.so.*`.
    public var loaderLimit: Int

    /// Creates a policy (tests narrow or widen it).
    public init(exactPaths: [String: Int], directories: [String: Int], loaderLimit: Int) {
        self.exactPaths = exactPaths
        self.directories = directories
        self.loaderLimit = loaderLimit
    }

    private static let kilobyte = 1024
    private static let megabyte = 1024 * 1024

    /// What the audit needs.
    public static let standard = CapturePolicy(
        exactPaths: [
            "etc/passwd": 4 * megabyte,
            "etc/group": 4 * megabyte,
            "etc/os-release": 64 * kilobyte,
            "usr/lib/os-release": 64 * kilobyte,
            "etc/alpine-release": 4 * kilobyte,
            "etc/debian_version": 4 * kilobyte,
            "etc/ld.so.cache": 16 * megabyte,
            "etc/ld.so.conf": 64 * kilobyte,
            "lib/apk/db/installed": 32 * megabyte,
            "var/lib/dpkg/status": 32 * megabyte,
        ],
        directories: [
            "etc/ld.so.conf.d": 64 * kilobyte,
            "var/lib/dpkg/status.d": 4 * megabyte,
        ],
        loaderLimit: 8 * megabyte)

    /// The cap for the file at `components` (a cleaned layer path), or nil when it is not kept.
    public func dataLimit(for components: [[UInt8]]) -> Int? {
        guard let name = components.last else { return nil }
        if Self.isLoaderName(name) { return loaderLimit }
        let path = components.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        if let limit = exactPaths[path] { return limit }
        if components.count >= 2 {
            let directory = components.dropLast().map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
            if let limit = directories[directory] { return limit }
        }
        return nil
    }

    /// `ld-*.so*`, `ld-linux*`, `ld-musl-*`, `ld64.so.*`: glibc's and musl's loaders by any version.
    static func isLoaderName(_ name: [UInt8]) -> Bool {
        let text = String(decoding: name, as: UTF8.self)
        if text.hasPrefix("ld-linux") || text.hasPrefix("ld-musl-") || text.hasPrefix("ld64.so.") { return true }
        return text.hasPrefix("ld-") && text.contains(".so")
    }
}
