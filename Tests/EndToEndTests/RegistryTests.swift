import Foundation
import ImageAuditTestSupport
import Testing

/// Auditing straight from a registry (issue 18) against the real thing: Debian's docker-registry
/// started on loopback by each test, images pushed with skopeo, faults added by
/// scripts/registry-fault-proxy.py. The expected results are the same images' tarball audits:
/// the JSON of each image must be the same except its source and names.
@Suite(.serialized, .enabled(if: RegistryHarness.available, Comment(rawValue: RegistryHarness.skipReason)))
struct RegistryTests {
    static let images = ["alpine-musl-app", "alpine-go-cgo", "entrypoint-missing"]

    private func images(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, images: [[String: Any]], stderr: String, stdout: String
    ) { try RegistryReports.images(arguments, environment: environment) }

    private func comparable(_ image: [String: Any]) -> String { RegistryReports.comparable(image) }

    private func tarballReport(_ name: String) throws -> String { try RegistryReports.tarballReport(name) }

    @Test func plainRegistryGivesTheTarballsReports() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        for name in Self.images { try registry.push(name, as: "test/\(name):v1") }
        for name in Self.images {
            let result = try images(["docker://\(registry.host)/test/\(name):v1"])
            let image = try #require(result.images.first, "\(result.stderr)")
            #expect(image["source"] as? String == "docker://\(registry.host)/test/\(name):v1")
            #expect(image["names"] as? [String] == ["\(registry.host)/test/\(name):v1"])
            #expect(comparable(image) == (try tarballReport(name)), "\(name)")
        }
    }

    @Test func catalogAndTagsAreBulkInputsShardedByRepoAndTag() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        for name in Self.images { try registry.push(name, as: "bulk/\(name):v1") }
        try registry.push("alpine-musl-app", as: "bulk/alpine-musl-app:v2")
        let all = try images(["docker://\(registry.host)/", "--jobs", "2"])
        let sources = Set(all.images.compactMap { $0["source"] as? String })
        let expected = Set(
            Self.images.map { "docker://\(registry.host)/bulk/\($0):v1" } + [
                "docker://\(registry.host)/bulk/alpine-musl-app:v2"
            ])
        #expect(sources == expected, "\(all.stderr)")
        #expect(all.status == 1)
        let tags = try images(["docker://\(registry.host)/bulk/alpine-musl-app"])
        #expect(tags.images.count == 2)
        #expect(tags.status == 0)
        var sharded: [String] = []
        for part in 1...2 {
            let shard = try images(["docker://\(registry.host)/", "--shard", "\(part)/2"])
            sharded += shard.images.compactMap { $0["source"] as? String }
        }
        #expect(Set(sharded) == expected)
        #expect(sharded.count == expected.count)
        let jsonl = try BuiltCLI.run(["docker://\(registry.host)/", "--format", "jsonl"], environment: [:])
        #expect(jsonl.stdoutText.split(separator: "\n").count == expected.count + 1, "\(jsonl.stderrText)")
    }

    @Test func missingTagIsOneErrorAndTheRestGoesOn() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "test/app:v1")
        let result = try images(["docker://\(registry.host)/test/app:nope", "docker://\(registry.host)/test/app:v1"])
        #expect(result.status == 2)
        #expect(result.images.count == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1)
        #expect(errors.first?.contains("docker://\(registry.host)/test/app:nope: ") == true)
        #expect(errors.first?.contains("HTTP 404") == true, "\(result.stderr)")
        let inspect = try BuiltCLI.run(["inspect", "docker://\(registry.host)/test/app:v1"])
        #expect(inspect.status == 0, "\(inspect.stderrText)")
        let tree = try BuiltCLI.run(["tree", "docker://\(registry.host)/test/app:v1", "/usr/local/bin/hello"])
        #expect(tree.status == 0, "\(tree.stderrText)")
    }

    @Test func tlsAndBasicAuth() throws {
        let password = "s3cret-pa55"
        let registry = try RegistryHarness(tls: true, credentials: "alice:\(password)")
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "secure/app:v1")
        let reference = "docker://\(registry.host)/secure/app:v1"
        let expected = try tarballReport("alpine-musl-app")

        let untrusted = try images([reference, "--creds", "alice:\(password)"])
        #expect(untrusted.status == 2)
        #expect(untrusted.stderr.contains("TLS"), "\(untrusted.stderr)")

        let anonymous = try images([reference, "--cert-dir", registry.certDirectory])
        #expect(anonymous.status == 2)
        #expect(anonymous.stderr.contains("HTTP 401") || anonymous.stderr.contains("authentication"))

        let wrong = try images([reference, "--cert-dir", registry.certDirectory, "--creds", "alice:wrong"])
        #expect(wrong.status == 2)

        let good = try images([reference, "--cert-dir", registry.certDirectory, "--creds", "alice:\(password)"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.images.first.map(comparable) == expected)

        let insecure = try images([reference, "--tls-verify=false", "--creds", "alice:\(password)"])
        #expect(insecure.status == 0, "\(insecure.stderr)")

        let authFile = registry.directory.appendingPathComponent("auth.json")
        let auth = Data("alice:\(password)".utf8).base64EncodedString()
        try "{\"auths\":{\"\(registry.host)\":{\"auth\":\"\(auth)\"}}}".write(
            to: authFile, atomically: true, encoding: .utf8)
        let fromFile = try images(
            [reference],
            environment: ["REGISTRY_AUTH_FILE": authFile.path, "SSL_CERT_FILE": registry.certDirectory + "/ca.crt"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let docker = registry.directory.appendingPathComponent("docker")
        try FileManager.default.createDirectory(at: docker, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: authFile, to: docker.appendingPathComponent("config.json"))
        let fromDocker = try images(
            [reference, "--cert-dir", registry.certDirectory], environment: ["DOCKER_CONFIG": docker.path])
        #expect(fromDocker.status == 0, "\(fromDocker.stderr)")

        for run in [untrusted, anonymous, wrong, good, insecure, fromFile, fromDocker] {
            #expect(!run.stderr.contains(password) && !run.stdout.contains(password))
            #expect(!run.stderr.contains(auth) && !run.stdout.contains(auth))
        }
    }

    @Test func bearerTokenFlow() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "token/app:v1")
        let port = try registry.startProxy(["--bearer", "bob:tok-pass"])
        let reference = "docker://127.0.0.1:\(port)/token/app:v1"
        let good = try images([reference, "--creds", "bob:tok-pass"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.images.first.map(comparable) == (try tarballReport("alpine-musl-app")))
        let refused = try images([reference])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("token service refused anonymous access"), "\(refused.stderr)")
        let catalog = try images(["docker://127.0.0.1:\(port)/", "--creds", "bob:tok-pass"])
        #expect(catalog.images.count == 1, "\(catalog.stderr)")
        #expect(!(good.stderr + refused.stderr + catalog.stderr).contains("tok-pass"))
    }

    @Test func throttledAndBrokenBlobsAreRetriedAndResumed() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-go-cgo", as: "faults/app:v1")
        let port = try registry.startProxy(["--throttle-once", "--cut-once"])
        let result = try images(["docker://127.0.0.1:\(port)/faults/app:v1"])
        #expect(result.images.first.map(comparable) == (try tarballReport("alpine-go-cgo")), "\(result.stderr)")
        let log = try String(contentsOfFile: registry.proxyLog, encoding: .utf8)
        #expect(log.contains(" 429\n"))
        #expect(log.contains(" cut\n"))
        #expect(log.split(separator: "\n").contains { $0.contains("bytes=") && $0.hasSuffix(" 206") }, "\(log)")
    }

    /// A blob whose bytes do not match its digest, and one the connection always breaks off in
    /// (ranges too: a registry that dies mid-blob), each fail their own image only.
    @Test func corruptAndDeadBlobsFailTheirImageOnly() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-go-cgo", as: "faults/corrupt:v1")
        try registry.push("debian-slim-shell-form", as: "faults/dead:v1")
        try registry.push("alpine-musl-app", as: "faults/good:v1")
        // Its config: a tampered layer would fail in the decompressor's own checksum first.
        let config = try RegistryHarness.manifest("alpine-go-cgo")["config"] as? [String: Any]
        let corrupt = try #require(config?["digest"] as? String)
        let dead = try #require(try RegistryHarness.layerDigests("debian-slim-shell-form").first)
        let port = try registry.startProxy(["--corrupt", corrupt, "--cut", dead])
        let host = "127.0.0.1:\(port)"
        let result = try images([
            "docker://\(host)/faults/corrupt:v1", "docker://\(host)/faults/dead:v1", "docker://\(host)/faults/good:v1",
        ])
        #expect(result.status == 2)
        #expect(result.images.compactMap { $0["source"] as? String } == ["docker://\(host)/faults/good:v1"])
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 2, "\(result.stderr)")
        #expect(
            errors.contains { $0.contains("faults/corrupt:v1") && $0.contains("sha256 mismatch") }, "\(result.stderr)")
        #expect(errors.contains { $0.contains("faults/dead:v1") }, "\(result.stderr)")
    }
}
