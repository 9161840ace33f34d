/// Small, documented tables of base images and their C libraries (docs/findings.md, "Tables").
/// Versions are what each release ships; check them again when a release is added.
enum KnownBases {
    /// A glibc base image and the glibc (and GLIBCXX, from its GCC) it provides.
    struct GlibcBase: Sendable {
        var image: String
        /// `debian` or `ubuntu`: suggestions stay in the image's own family.
        var distribution: String
        var glibc: (Int, Int)
        /// The newest `GLIBCXX_3.4.N` its libstdc++6 defines.
        var glibcxx: Int
        /// The distroless image on the same release, if any.
        var distroless: String?
    }

    /// Oldest first. Debian: bookworm glibc 2.36 / GCC 12; bullseye 2.31 / GCC 10; buster 2.28 /
    /// GCC 8; trixie 2.41 / GCC 14. Ubuntu: focal 2.31, jammy 2.35, noble 2.39.
    static let glibcBases: [GlibcBase] = [
        GlibcBase(image: "ubuntu:20.04", distribution: "ubuntu", glibc: (2, 31), glibcxx: 28, distroless: nil),
        GlibcBase(image: "debian:buster-slim", distribution: "debian", glibc: (2, 28), glibcxx: 25, distroless: nil),
        GlibcBase(
            image: "debian:bullseye-slim", distribution: "debian", glibc: (2, 31), glibcxx: 28,
            distroless: "gcr.io/distroless/base-debian11"),
        GlibcBase(image: "ubuntu:22.04", distribution: "ubuntu", glibc: (2, 35), glibcxx: 30, distroless: nil),
        GlibcBase(
            image: "debian:bookworm-slim", distribution: "debian", glibc: (2, 36), glibcxx: 30,
            distroless: "gcr.io/distroless/base-debian12"),
        GlibcBase(image: "ubuntu:24.04", distribution: "ubuntu", glibc: (2, 39), glibcxx: 33, distroless: nil),
        GlibcBase(
            image: "debian:trixie-slim", distribution: "debian", glibc: (2, 41), glibcxx: 33,
            distroless: "gcr.io/distroless/base-debian13"),
    ]

    /// The oldest listed base of the family (`ubuntu` for Ubuntu images, else `debian`) that
    /// defines `GLIBC_x.y` (or `GLIBCXX_3.4.N`).
    static func oldestBase(providing version: String, distribution: String?) -> GlibcBase? {
        let family = distribution == "ubuntu" ? "ubuntu" : "debian"
        let bases = glibcBases.filter { $0.distribution == family }
        if let needed = glibcVersion(version) {
            return bases.first { $0.glibc.0 > needed.0 || ($0.glibc.0 == needed.0 && $0.glibc.1 >= needed.1) }
        }
        if let needed = glibcxxVersion(version) {
            return bases.first { $0.glibcxx >= needed }
        }
        return nil
    }

    /// The oldest listed base that defines every glibc and GLIBCXX version of `versions` (other
    /// families are left out); nil when one of them no listed base defines.
    static func oldestBase(providingAll versions: [String], distribution: String?) -> GlibcBase? {
        let relevant = versions.filter { glibcVersion($0) != nil || glibcxxVersion($0) != nil }
        let bases = relevant.map { oldestBase(providing: $0, distribution: distribution) }
        guard !bases.isEmpty, !bases.contains(where: { $0 == nil }) else { return nil }
        let order = { (base: GlibcBase) in glibcBases.firstIndex { $0.image == base.image } ?? 0 }
        return bases.compactMap { $0 }.max { order($0) < order($1) }
    }

    /// `GLIBC_2.34` → (2, 34).
    static func glibcVersion(_ version: String) -> (Int, Int)? {
        guard version.hasPrefix("GLIBC_") else { return nil }
        let numbers = version.dropFirst(6).split(separator: ".").compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    /// `GLIBCXX_3.4.30` → 30.
    static func glibcxxVersion(_ version: String) -> Int? {
        guard version.hasPrefix("GLIBCXX_3.4") else { return nil }
        let numbers = version.dropFirst(8).split(separator: ".").compactMap { Int($0) }
        return numbers.count >= 3 ? numbers[2] : (numbers.count == 2 ? 0 : nil)
    }

    /// Which package provides a library, per distribution family: (Debian/Ubuntu, Alpine).
    /// Only libraries whose package name is not obvious from the soname, and the usual ones.
    static let libraryPackages: [String: (debian: String, alpine: String)] = [
        "libc.so.6": ("libc6", "gcompat"),
        "libm.so.6": ("libc6", "gcompat"),
        "libpthread.so.0": ("libc6", "gcompat"),
        "libdl.so.2": ("libc6", "gcompat"),
        "librt.so.1": ("libc6", "gcompat"),
        "libresolv.so.2": ("libc6", "gcompat"),
        "libstdc++.so.6": ("libstdc++6", "libstdc++"),
        "libgcc_s.so.1": ("libgcc-s1", "libgcc"),
        "libatomic.so.1": ("libatomic1", "libatomic"),
        "libgomp.so.1": ("libgomp1", "libgomp"),
        "libssl.so.3": ("libssl3", "libssl3"),
        "libcrypto.so.3": ("libssl3", "libcrypto3"),
        "libssl.so.1.1": ("libssl1.1", "libssl1.1"),
        "libcrypto.so.1.1": ("libssl1.1", "libcrypto1.1"),
        "libz.so.1": ("zlib1g", "zlib"),
        "libzstd.so.1": ("libzstd1", "zstd-libs"),
        "liblzma.so.5": ("liblzma5", "xz-libs"),
        "libbz2.so.1.0": ("libbz2-1.0", "libbz2"),
        "libcurl.so.4": ("libcurl4", "libcurl"),
        "libpq.so.5": ("libpq5", "libpq"),
        "libsqlite3.so.0": ("libsqlite3-0", "sqlite-libs"),
        "libffi.so.8": ("libffi8", "libffi"),
        "libexpat.so.1": ("libexpat1", "libexpat"),
        "libuuid.so.1": ("libuuid1", "libuuid"),
        "libpcre2-8.so.0": ("libpcre2-8-0", "pcre2"),
        "libxml2.so.2": ("libxml2", "libxml2"),
        "libyaml-0.so.2": ("libyaml-0-2", "yaml"),
        "libncursesw.so.6": ("libncursesw6", "ncurses-libs"),
        "libreadline.so.8": ("libreadline8", "readline"),
        "libjemalloc.so.2": ("libjemalloc2", "jemalloc"),
        "libsodium.so.23": ("libsodium23", "libsodium"),
        // What wheels with GUI or science code need from the system (opencv-python, numpy/scipy
        // builds, lxml from source): Debian's names checked with `dpkg -S` on bookworm
        // (LibraryPackagesHostTests), Alpine's from its package index.
        "libGL.so.1": ("libgl1", "mesa-gl"),
        "libEGL.so.1": ("libegl1", "mesa-egl"),
        "libglib-2.0.so.0": ("libglib2.0-0", "glib"),
        "libgthread-2.0.so.0": ("libglib2.0-0", "glib"),
        "libgobject-2.0.so.0": ("libglib2.0-0", "glib"),
        "libSM.so.6": ("libsm6", "libsm"),
        "libICE.so.6": ("libice6", "libice"),
        "libX11.so.6": ("libx11-6", "libx11"),
        "libXext.so.6": ("libxext6", "libxext"),
        "libXrender.so.1": ("libxrender1", "libxrender"),
        "libxcb.so.1": ("libxcb1", "libxcb"),
        "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
        "libfreetype.so.6": ("libfreetype6", "freetype"),
        "libpng16.so.16": ("libpng16-16", "libpng"),
        "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
        "libgfortran.so.5": ("libgfortran5", "libgfortran"),
        "libquadmath.so.0": ("libquadmath0", "libquadmath"),
        "libxslt.so.1": ("libxslt1.1", "libxslt"),
        "libexslt.so.0": ("libxslt1.1", "libxslt"),
        "libgssapi_krb5.so.2": ("libgssapi-krb5-2", "krb5-libs"),
    ]

    /// The package name for a library in this family, or nil when the table does not know it.
    static func package(for library: String, family: ImageIdentity.Family) -> String? {
        guard let entry = libraryPackages[library] else { return nil }
        switch family {
        case .debian: return entry.debian
        case .alpine: return entry.alpine
        case .rhel, .other: return nil
        }
    }
}
