import ImageAuditFS

extension DynamicLoader {
    /// The files the loader model reads whole: glibc's `ld.so` (its system directories and
    /// version are strings inside it), `/etc/ld.so.cache`, and musl's loader with its search path
    /// file `/etc/ld-musl-ARCH.path` (which the `ld-musl-*` name also covers).
    public static let contentRequirements = ContentRequirements(
        [
            .init(.path("etc/ld.so.cache"), cap: 16 << 20, reason: "glibc's library cache"),
            .init(.name("ld-linux*"), cap: 8 << 20, reason: "glibc's loader: system directories, version"),
            .init(.name("ld-*.so*"), cap: 8 << 20, reason: "glibc's loader by its versioned name"),
            .init(.name("ld64.so.*"), cap: 8 << 20, reason: "glibc's loader on ppc64/s390x"),
            .init(.name("ld-musl-*"), cap: 8 << 20, reason: "musl's loader and its search path file"),
        ],
        totalBudget: 48 << 20)
}
