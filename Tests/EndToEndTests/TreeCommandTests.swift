import Foundation
import ImageAuditTestSupport
import Testing

/// `imageaudit tree` on the TestImages tarballs. What each library resolves to, and by which
/// rule, was checked against the real loaders on an `umoci unpack` of each image (2026-11-23):
/// `LD_DEBUG=libs chroot ROOTFS /lib64/ld-linux-x86-64.so.2 --list PROGRAM` (glibc names the
/// rule: "search cache=", "RUNPATH from file", "system search path") and
/// `chroot ROOTFS /lib/ld-musl-x86_64.so.1 --list PROGRAM` (musl gives the paths; the rule is
/// how TestImages/README.md says the image was made). Failure messages come from
/// TestImages/expected.tsv, what runc and the loaders printed when the oracle started the image.
@Suite struct TreeCommandTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var image: String
        var path: String
        /// name → (path, rule kind) for libraries that load.
        var loads: [String: [String]] = [:]
        var missing: [String] = []
        /// The first error's message, when it is not the oracle's (argv[0] differs).
        var messageSuffix: String?
        var env: [String] = []
        var testDescription: String { "\(image) \(path)" }
    }

    static let cases: [Case] = [
        Case(
            image: "glibc-runpath-not-inherited", path: "/opt/app/bin/app",
            loads: [
                "libfoo.so.1": ["/opt/app/bin/../lib/libfoo.so.1", "runpath"],
                "libc.so.6": ["/lib/x86_64-linux-gnu/libc.so.6", "ld.so.cache"],
            ],
            missing: ["libbar.so.1"]),
        Case(image: "glibc-missing-library-whiteout", path: "/usr/local/bin/app", missing: ["libfoo.so.1"]),
        Case(image: "glibc-ldcache-stale", path: "/opt/app/bin/app", missing: ["libfoo.so.1"]),
        Case(
            image: "distroless-ldcache-fresh", path: "/opt/app/bin/app",
            loads: [
                "libfoo.so.1": ["/opt/app/lib/libfoo.so.1", "ld.so.cache"],
                "libc.so.6": ["/lib/x86_64-linux-gnu/libc.so.6", "ld.so.cache"],
            ]),
        Case(
            image: "glibc-too-old", path: "/server",
            loads: ["libc.so.6": ["/lib/x86_64-linux-gnu/libc.so.6", "ld.so.cache"]]),
        Case(
            image: "glibc-bindnow-missing-symbol", path: "/usr/local/bin/app",
            loads: ["libfoo.so.1": ["/opt/app/lib/libfoo.so.1", "ld-library-path"]],
            messageSuffix: "undefined symbol: foo_v2"),
        Case(
            image: "musl-path-file", path: "/usr/local/bin/app",
            loads: [
                "libfoo.so.1": ["/opt/app/lib/libfoo.so.1", "musl-path-file"],
                "libc.so": ["/lib/ld-musl-x86_64.so.1", "musl-itself"],
            ]),
        Case(
            image: "musl-runpath-inherited", path: "/opt/app/bin/app",
            loads: [
                "libfoo.so.1": ["/opt/app/bin/../lib/libfoo.so.1", "runpath"],
                "libbar.so.1": ["/opt/app/bin/../lib/libbar.so.1", "runpath"],
            ]),
        Case(
            image: "musl-ld-library-path", path: "/usr/local/bin/app",
            loads: ["libfoo.so.1": ["/opt/app/lib/libfoo.so.1", "ld-library-path"]]),
        Case(image: "musl-missing-library", path: "/usr/local/bin/app", missing: ["libfoo.so.1"]),
        Case(image: "musl-path-file-replaces-default", path: "/usr/local/bin/app", missing: ["libfoo.so.1"]),
        Case(image: "alpine-gcompat-relocating", path: "/usr/local/bin/app"),
        Case(image: "alpine-go-cgo", path: "/usr/local/bin/server"),
        Case(image: "glibc-in-scratch", path: "/server"),
        Case(image: "musl-loader-dangling", path: "/usr/local/bin/hello"),
    ]

    static func run(_ arguments: [String]) throws -> (ProcessResult, [String: Any]) {
        let result = try BuiltCLI.run(["tree"] + arguments + ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
        return (result, try #require(object, "\(result.stderrText)"))
    }

    /// Every dependency node, depth first.
    static func nodes(_ tree: [String: Any]) -> [[String: Any]] {
        let children = tree["dependencies"] as? [[String: Any]] ?? []
        return children.flatMap { [$0] + nodes($0) }
    }

    @Test("paths, rules, verdict and message as the real loaders and the oracle", arguments: cases)
    func matchesLoaders(_ test: Case) throws {
        let oracle = try #require(AuditOracleTests.expectations.first { $0.image == test.image })
        let tarball = Fixtures.root.appendingPathComponent("TestImages/\(test.image).tar").path
        let (result, tree) = try Self.run([tarball, test.path] + test.env.flatMap { ["--env", $0] })
        let loads = oracle.verdict == "pass"
        #expect(tree["wouldLoad"] as? Bool == loads)
        #expect(result.status == (loads ? 0 : 1), "\(result.stderrText)")
        let nodes = Self.nodes(tree)
        for (name, expected) in test.loads {
            let node = nodes.first { $0["name"] as? String == name && $0["outcome"] as? String == "loaded" }
            let musl = nodes.first {
                $0["name"] as? String == name && ($0["rule"] as? [String: Any])?["kind"] as? String == "musl-itself"
            }
            let found = try #require(node ?? musl, "\(name) not in \(nodes.map { $0["name"] ?? "" })")
            #expect(found["path"] as? String == expected[0])
            #expect((found["rule"] as? [String: Any])?["kind"] as? String == expected[1], "\(name)")
        }
        for name in test.missing {
            let node = try #require(nodes.first { $0["name"] as? String == name })
            #expect(node["outcome"] as? String == "not-found")
            #expect(!(node["searched"] as? [Any] ?? []).isEmpty, "a missing library lists where it was searched")
        }
        guard !loads else { return }
        let problems = tree["problems"] as? [[String: Any]] ?? []
        let first = try #require(problems.first { $0["severity"] as? String == "error" })
        let message = first["message"] as? String ?? ""
        if let suffix = test.messageSuffix {
            #expect(message.hasSuffix(suffix))
        } else {
            #expect(message == oracle.message)
        }
        #expect(!(first["cause"] as? String ?? "").isEmpty && !(first["fixes"] as? [String] ?? []).isEmpty)
    }

    @Test("a missing library: every place searched in order, why each failed, and a fix naming where the file is")
    func searchedInOrder() throws {
        // LD_DEBUG=libs in the image: "search cache=/etc/ld.so.cache", then "trying file=" in
        // /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib (system search path).
        let tarball = Fixtures.root.appendingPathComponent("TestImages/glibc-runpath-not-inherited.tar").path
        let (_, tree) = try Self.run([tarball, "/opt/app/bin/app"])
        let libbar = try #require(Self.nodes(tree).first { $0["name"] as? String == "libbar.so.1" })
        let steps = libbar["searched"] as? [[String: Any]] ?? []
        #expect(
            steps.map { $0["location"] as? String ?? "" } == [
                "/etc/ld.so.cache", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
            ])
        #expect(
            steps.map { ($0["rule"] as? [String: Any])?["kind"] as? String ?? "" } == [
                "ld.so.cache", "default-directory", "default-directory", "default-directory", "default-directory",
            ])
        let problem = try #require((tree["problems"] as? [[String: Any]])?.first)
        #expect((problem["cause"] as? String ?? "").contains("the image has it at /opt/app/lib/libbar.so.1"))
        #expect((problem["fixes"] as? [String] ?? []).joined().contains("RUNPATH only for the object that carries it"))
    }

    @Test("a bare name is looked up on the image's PATH, like the command it would be")
    func bareNameOnPath() throws {
        // In an umoci unpack of the image: `env -i PATH=<Docker's default> chroot ROOTFS sh -c
        // 'command -v sh'` prints /usr/bin/sh (before /bin/sh in PATH), and
        // `chroot ROOTFS /lib64/ld-linux-x86-64.so.2 --list /usr/bin/sh` loads libc.so.6 from
        // /lib/x86_64-linux-gnu/libc.so.6.
        let tarball = Fixtures.root.appendingPathComponent("TestImages/debian-slim-shell-form.tar").path
        let (result, tree) = try Self.run([tarball, "sh"])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(tree["resolvedPath"] as? String == "/usr/bin/dash")
        #expect((tree["notes"] as? [String] ?? []).contains("`sh` found on PATH: /usr/bin/sh"))
        let libc = try #require(Self.nodes(tree).first { $0["name"] as? String == "libc.so.6" })
        #expect(libc["path"] as? String == "/lib/x86_64-linux-gnu/libc.so.6")

        let missing = try BuiltCLI.run(["tree", tarball, "no-such-command"])
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("no-such-command: no file of that name in the image's PATH directories"))
    }

    @Test("text output shows the rule of each library and the search of a missing one")
    func text() throws {
        let tarball = Fixtures.root.appendingPathComponent("TestImages/glibc-runpath-not-inherited.tar").path
        let result = try BuiltCLI.run(["tree", tarball, "/opt/app/bin/app"])
        #expect(result.status == 1)
        let text = result.stdoutText
        #expect(
            text.contains(
                "├── libfoo.so.1 => /opt/app/bin/../lib/libfoo.so.1 -> /opt/app/lib/libfoo.so.1  [RUNPATH of /opt/app/bin/app]"
            ))
        #expect(text.contains("│   └── libbar.so.1: NOT FOUND"))
        #expect(text.contains("1. /etc/ld.so.cache (ld.so.cache): no entry for libbar.so.1"))
        #expect(text.contains("result: does not load (1 error)"))
    }

    @Test("--env LD_LIBRARY_PATH fixes the missing library, as in the loader")
    func envOverride() throws {
        // With LD_LIBRARY_PATH=/opt/app/lib the real loader in the unpacked image lists
        // libbar.so.1 => /opt/app/lib/libbar.so.1.
        let tarball = Fixtures.root.appendingPathComponent("TestImages/glibc-runpath-not-inherited.tar").path
        let (result, tree) = try Self.run([tarball, "/opt/app/bin/app", "--env", "LD_LIBRARY_PATH=/opt/app/lib"])
        #expect(result.status == 0)
        let libbar = try #require(Self.nodes(tree).first { $0["name"] as? String == "libbar.so.1" })
        #expect(libbar["path"] as? String == "/opt/app/lib/libbar.so.1")
        #expect((libbar["rule"] as? [String: Any])?["kind"] as? String == "ld-library-path")
    }

    @Test("a shared library is loaded by the image's loader, as ld.so FILE does")
    func sharedLibrary() throws {
        // chroot ROOTFS /lib/ld-musl-x86_64.so.1 --list /opt/app/lib/libfoo.so.1:
        // "Error loading shared library libbar.so.1: No such file or directory (needed by /opt/app/lib/libfoo.so.1)".
        let tarball = Fixtures.root.appendingPathComponent("TestImages/musl-runpath-inherited.tar").path
        let (result, tree) = try Self.run([tarball, "/opt/app/lib/libfoo.so.1"])
        #expect(result.status == 1)
        #expect((tree["interpreter"] as? [String: Any])?["source"] as? String == "image loader")
        let message = (tree["problems"] as? [[String: Any]])?.first?["message"] as? String
        #expect(
            message
                == "Error loading shared library libbar.so.1: No such file or directory (needed by /opt/app/lib/libfoo.so.1)"
        )
    }

    @Test("bad input exits 2, a static program 0, usage errors 64")
    func exitStatus() throws {
        let root = Fixtures.root.appendingPathComponent("TestImages").path
        let missing = try BuiltCLI.run(["tree", "\(root)/shebang-crlf.tar", "/nope"])
        #expect(missing.status == 2 && missing.stderrText.contains("/nope does not exist"))
        let script = try BuiltCLI.run(["tree", "\(root)/shebang-crlf.tar", "/entrypoint.sh"])
        #expect(script.status == 2 && script.stderrText.contains("a script (#!/bin/sh\\r)"))
        let unreadable = try BuiltCLI.run(["tree", "\(root)/no-such.tar", "/x"])
        #expect(unreadable.status == 2)
        let staticProgram = try BuiltCLI.run(["tree", "\(root)/scratch-static.tar", "/hello"])
        #expect(staticProgram.status == 0 && staticProgram.stdoutText.contains("nothing to load"))
        #expect(try BuiltCLI.run(["tree", "\(root)/scratch-static.tar"]).status == 64)
        #expect(try BuiltCLI.run(["tree", "\(root)/scratch-static.tar", "/hello", "--env", "X"]).status == 64)
    }
}
