/// Fix lines for the usual causes, each written for the binary and image at hand
/// (exec-and-loader-rules.md §5).
struct Fixes {
    var identity: ImageIdentity
    var packages: PackageDatabase

    /// Rebuild without a C library dependency, in the words of the binary's toolchain.
    func staticBuild(_ facts: ELFFacts) -> [String] {
        if let go = facts.go {
            var lines = [
                "rebuild it with CGO_ENABLED=0: a Go binary without cgo is static and needs no C library"
                    + (go.cgoEnabled == true ? " (it was built with CGO_ENABLED=1, \(go.goVersion))" : "")
            ]
            lines.append("if it uses cgo only for DNS or user lookups (net, os/user): go build -tags netgo,osusergo")
            lines.append("if it needs cgo for a C library: go build -ldflags '-linkmode external -extldflags -static'")
            return lines
        }
        let cxx = facts.needed.contains("libstdc++.so.6")
        return [
            "link it statically: gcc -static" + (cxx ? " (C++: g++ -static, or -static-libstdc++ -static-libgcc)" : "")
                + " (Rust: build for the *-unknown-linux-musl target)"
        ]
    }

    /// glibc bases to run a glibc binary on; `/cc` when it needs libstdc++ or libgcc_s.
    func glibcBases(_ facts: ELFFacts) -> String {
        let cc = facts.needed.contains("libstdc++.so.6") || facts.needed.contains("libgcc_s.so.1")
        return "or run it on a glibc base: debian:bookworm-slim or gcr.io/distroless/\(cc ? "cc" : "base")-debian12"
    }

    /// A glibc binary on a musl image.
    func glibcOnMusl(_ facts: ELFFacts) -> [String] {
        var lines = staticBuild(facts)
        if identity.family == .alpine && packages.tools.contains("apk") {
            lines.append(
                "or add glibc compatibility: apk add gcompat (older Alpine: libc6-compat); binaries using"
                    + " glibc-only symbols (e.g. __*_chk) still fail with \"Error relocating\"")
        }
        lines.append(glibcBases(facts))
        lines.append(
            facts.go != nil
                ? "or build it in the same libc: FROM golang:alpine as the build stage"
                : "or build it on Alpine (the same libc as this image)")
        return lines
    }

    /// A glibc binary on an image with no C library (scratch, distroless/static).
    func glibcOnNothing(_ facts: ELFFacts) -> [String] {
        staticBuild(facts) + [glibcBases(facts)]
    }

    /// A musl binary on a glibc image.
    func muslOnGlibc(_ facts: ELFFacts) -> [String] {
        var lines: [String] = []
        if identity.family == .debian && packages.manager == .dpkg && packages.tools.contains("apt-get") {
            lines.append("install musl's loader: apt-get install -y musl (it provides /lib/ld-musl-*.so.1)")
        }
        lines.append("or build it against glibc (e.g. on debian:bookworm rather than alpine)")
        lines += staticBuild(facts).map { "or " + $0 }
        return lines
    }

    /// The command that installs a package in this image, or nil when the image has no
    /// package manager to run (distroless keeps dpkg's status.d but no dpkg or apt).
    func install(_ package: String) -> String? {
        switch (identity.family, packages.manager) {
        case (.alpine, .apk?) where packages.tools.contains("apk"): "apk add --no-cache \(package)"
        case (.debian, .dpkg?) where packages.tools.contains("apt-get"):
            "apt-get update && apt-get install -y --no-install-recommends \(package)"
        default: nil
        }
    }

    /// Installing (or copying) a missing library: the package database first, then the table.
    func library(_ name: String, facts: ELFFacts) -> [String] {
        var lines: [String] = []
        let package = KnownBases.package(for: name, family: identity.family)
        if let package, let version = packages.versions[package] {
            lines.append(
                "package \(package) (\(version)) is installed but \(name) is gone: a later step deleted it;"
                    + " keep the file (or reinstall \(package))")
        } else if let package, let command = install(package) {
            lines.append("install it: \(command)")
        } else if let package {
            lines.append(
                "copy it (package \(package) on the build stage's distribution) into the image, e.g."
                    + " COPY --from=build /usr/lib/…/\(name)* /usr/lib/")
        } else if packages.tools.isEmpty {
            lines.append(
                "copy \(name) from the build stage into a directory the loader searches, e.g."
                    + " COPY --from=build /usr/lib/…/\(name)* /usr/lib/ (this image has no package manager to install it)"
            )
        } else {
            lines.append(
                "install the package that provides \(name) in this image, or copy the library from the build stage")
        }
        if name == "libstdc++.so.6" || name == "libgcc_s.so.1" {
            lines.append("on distroless: use gcr.io/distroless/cc-debian12, which has libstdc++ and libgcc_s")
        } else if packages.distroless {
            lines.append(
                "or build on the distroless variant that has it (gcr.io/distroless/cc-debian12 adds libstdc++"
                    + " and libgcc_s; other libraries come only by copying)")
        }
        return lines
    }
}
