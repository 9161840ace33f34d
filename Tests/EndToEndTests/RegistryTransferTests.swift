import Dispatch
import Foundation
import ImageAuditTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Transfers as a real deployment breaks or bends them: the process serving a layer killed
/// mid-blob, and blob GETs redirected to blob storage on another server.
@Suite(.serialized, .enabled(if: RegistryHarness.available, Comment(rawValue: RegistryHarness.skipReason)))
struct RegistryTransferTests {
    /// The proxy streams the big layer slowly; the test SIGKILLs the proxy once it has begun.
    /// That image fails in bounded time (the resumes find nobody listening); the other image,
    /// read from the registry directly, is still audited.
    @Test func killedMidBlobFailsThatImageOnlyAndDoesNotHang() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        let big = "python-sh-c-needs-libstdcxx"
        try registry.push(big, as: "kill/big:v1")
        try registry.push("alpine-musl-app", as: "kill/small:v1")
        let layer = try #require(try RegistryHarness.layerDigests(big).first)
        let port = try registry.startProxy(["--slow", layer])
        let pid = try #require(registry.proxyPID)
        let log = registry.proxyLog
        let killed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            for _ in 0..<1200 {
                if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains(" slow\n") {
                    usleep(300_000)
                    kill(pid, SIGKILL)
                    break
                }
                usleep(50_000)
            }
            killed.signal()
        }
        let start = Date()
        let result = try RegistryReports.images([
            "docker://127.0.0.1:\(port)/kill/big:v1", "docker://\(registry.host)/kill/small:v1",
        ])
        let elapsed = Date().timeIntervalSince(start)
        killed.wait()
        let sent = try String(contentsOfFile: log, encoding: .utf8)
        #expect(sent.contains(" slow\n"), "\(sent)")
        #expect(!sent.contains("/blobs/\(layer) - 200\n"), "the layer was sent whole before the kill: \(sent)")
        #expect(elapsed < 60, "\(elapsed) s")
        #expect(result.status == 2)
        #expect(
            result.images.compactMap { $0["source"] as? String } == ["docker://\(registry.host)/kill/small:v1"],
            "\(result.stderr)")
        let errors = RegistryReports.lines(result.stderr, "error:")
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("error: docker://127.0.0.1:\(port)/kill/big:v1: ") == true, "\(result.stderr)")
    }

    /// Blob GETs answer 307 to a second server (a signed URL, as S3 gives). The blobs are
    /// followed there, without the registry's `Authorization`; a body cut off there is resumed
    /// with `Range` through the registry's redirect again; a corrupt blob there still fails
    /// its digest.
    @Test func redirectsToBlobStorageAreFollowedWithoutCredentials() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-go-cgo", as: "redir/app:v1")
        try registry.push("alpine-musl-app", as: "redir/bad:v1")
        let config = try RegistryHarness.manifest("alpine-musl-app")["config"] as? [String: Any]
        let corrupt = try #require(config?["digest"] as? String)
        let storage = try RegistryHarness.freePort()
        let port = try registry.startProxy([
            "--bearer", "bob:tok-pass", "--redirect", "\(storage)", "--cut-once", "--corrupt", corrupt,
        ])
        try RegistryHarness.waitForPort(storage)
        let good = try RegistryReports.images(["docker://127.0.0.1:\(port)/redir/app:v1", "--creds", "bob:tok-pass"])
        #expect(good.status == 1 || good.status == 0, "\(good.stderr)")
        #expect(
            good.images.first.map(RegistryReports.comparable) == (try RegistryReports.tarballReport("alpine-go-cgo")))
        let log = try String(contentsOfFile: registry.proxyLog, encoding: .utf8).split(separator: "\n")
        let stored = log.filter { $0.hasPrefix("storage ") }
        #expect(log.contains { !$0.hasPrefix("storage ") && $0.contains("/blobs/") && $0.hasSuffix(" 307") })
        #expect(!stored.isEmpty && stored.allSatisfy { $0.hasPrefix("storage auth=no ") }, "\(stored)")
        #expect(stored.contains { $0.hasSuffix(" cut") }, "\(stored)")
        #expect(stored.contains { $0.contains(" bytes=") && $0.hasSuffix(" 206") }, "\(stored)")

        let bad = try RegistryReports.images(["docker://127.0.0.1:\(port)/redir/bad:v1", "--creds", "bob:tok-pass"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("sha256 mismatch"), "\(bad.stderr)")
        #expect(!(good.stderr + bad.stderr).contains("tok-pass"))
    }
}
