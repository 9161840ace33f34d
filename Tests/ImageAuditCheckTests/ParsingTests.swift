import ImageAuditFS
import Testing

@testable import ImageAuditCheck

/// The `#!` line as fs/binfmt_script.c reads it, and the image identity.
@Suite struct ParsingTests {
    private func parse(_ text: String) throws -> Shebang { try Shebang(parsing: Array(text.utf8)) }

    @Test("interpreter and one argument; blanks trimmed; \\r kept")
    func shebangFields() throws {
        #expect(try parse("#!/bin/sh\n").interpreter == "/bin/sh")
        let withArg = try parse("#! /usr/bin/env  python3 -u \t\n")
        #expect(withArg.interpreter == "/usr/bin/env")
        #expect(withArg.argument == "python3 -u")
        #expect(try parse("#!/bin/sh\r\n").interpreter == "/bin/sh\r")
        #expect(try parse("#!/bin/sh").interpreter == "/bin/sh")  // no newline, short file: NUL ends it
    }

    @Test("env: the program name, with -S split")
    func envCommand() throws {
        #expect(try parse("#!/usr/bin/env python3\n").envCommand == "python3")
        #expect(try parse("#!/usr/bin/env -S deno run --allow-net\n").envCommand == "deno")
        #expect(try parse("#!/usr/bin/env python3 -u\n").envCommand == "python3 -u")  // one argument without -S
        #expect(try parse("#!/bin/sh -e\n").envCommand == nil)
    }

    @Test("no interpreter, or a name running past 256 bytes: ENOEXEC")
    func shebangErrors() {
        #expect(throws: Shebang.ParseError.noInterpreter) { try parse("#!\n") }
        #expect(throws: Shebang.ParseError.truncated) { try parse("#!/" + String(repeating: "a", count: 300)) }
        #expect(throws: Shebang.ParseError.notAScript) { try parse("echo") }
    }

    @Test("identity: os-release, libc and its version from the package database")
    func identity() {
        var tree = FileTree()
        tree.apply(Fixture.alpine)
        let alpine = ImageIdentity(tree: tree, packages: PackageDatabase(tree: tree))
        #expect(alpine.summary == "Alpine Linux v3.20, musl 1.2.5")
        #expect(PackageDatabase(tree: tree).owners["/lib/ld-musl-x86_64.so.1"] == "musl")

        var debian = FileTree()
        debian.apply(Fixture.debian())
        #expect(
            ImageIdentity(tree: debian, packages: PackageDatabase(tree: debian)).summary
                == "Debian GNU/Linux 12 (bookworm), glibc 2.36")
        #expect(
            ImageIdentity(tree: FileTree(), packages: PackageDatabase()).summary
                == "no distribution (no /etc/os-release), no C library")
    }

    @Test("distroless: dpkg's status.d, one file per package")
    func distroless() {
        var tree = FileTree()
        tree.apply([
            Fixture.data(
                "var/lib/dpkg/status.d/libc6", "Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\n"),
            Fixture.data("var/lib/dpkg/status.d/libc6.md5sums", "ignored"),
        ])
        let packages = PackageDatabase(tree: tree)
        #expect(packages.manager == .dpkg)
        #expect(packages.versions == ["libc6": "2.36-9+deb12u4"])
    }

    @Test("the base table picks the oldest base of the same family")
    func bases() {
        #expect(KnownBases.oldestBase(providing: "GLIBC_2.34", distribution: "debian")?.image == "debian:bookworm-slim")
        #expect(KnownBases.oldestBase(providing: "GLIBC_2.34", distribution: "ubuntu")?.image == "ubuntu:22.04")
        #expect(KnownBases.oldestBase(providing: "GLIBC_2.28", distribution: nil)?.image == "debian:buster-slim")
        #expect(
            KnownBases.oldestBase(providing: "GLIBCXX_3.4.32", distribution: "debian")?.image == "debian:trixie-slim")
        #expect(KnownBases.oldestBase(providing: "GLIBC_2.99", distribution: "debian") == nil)
        // A module lacking GLIBC_2.33 and GLIBC_2.38 needs trixie, not bookworm (2.36).
        let both = KnownBases.oldestBase(providingAll: ["GLIBC_2.33", "GLIBC_2.38"], distribution: "debian")
        #expect(both?.image == "debian:trixie-slim")
        #expect(
            KnownBases.oldestBase(providingAll: ["GLIBC_2.33", "GCC_3.0"], distribution: "debian")?.image
                == "debian:bookworm-slim")
        #expect(KnownBases.oldestBase(providingAll: ["GLIBC_2.33", "GLIBC_2.99"], distribution: "debian") == nil)
    }
}
