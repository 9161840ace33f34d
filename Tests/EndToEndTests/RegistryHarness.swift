import Foundation
import ImageAuditTestSupport

#if canImport(Glibc)
    import Glibc
#endif

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A real registry (Debian's docker-registry, the CNCF distribution registry) on loopback for
/// one test: its own storage and config file in a scratch directory, a free port, optionally
/// htpasswd basic auth and a self-signed TLS certificate made with openssl. Stopped by `stop()`
/// (and on deinit).
final class RegistryHarness {
    static let binary = ["/usr/bin/docker-registry", "/usr/bin/registry"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let skipReason =
        "docker-registry, skopeo, openssl or htpasswd not installed (scripts/install-deps.sh --test installs them)"
    static var available: Bool {
        binary != nil && ["skopeo", "openssl", "htpasswd"].allSatisfy { (try? ExternalTools.path(of: $0)) != nil }
    }

    let directory: URL
    let port: Int
    let tls: Bool
    let credentials: String?
    private var process: Process?
    private var proxy: Process?
    /// The proxy's port, when one runs (``startProxy(_:)``).
    private(set) var proxyPort: Int?

    var host: String { "127.0.0.1:\(port)" }
    /// The directory holding the CA certificate (`ca.crt`), for --cert-dir.
    var certDirectory: String { directory.appendingPathComponent("certs").path }

    init(tls: Bool = false, credentials: String? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "imageaudit-registry-\(UUID().uuidString)")
        let certs = directory.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        port = try Self.freePort()
        self.tls = tls
        self.credentials = credentials
        var config = """
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(directory.appendingPathComponent("storage").path)
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)

            """
        if tls {
            let result = try ExternalTools.run(
                try ExternalTools.path(of: "openssl"),
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", certs.appendingPathComponent("server.key").path,
                    "-out", certs.appendingPathComponent("ca.crt").path,
                ])
            guard result.status == 0 else { throw HarnessError("openssl: \(result.stderrText)") }
            config += """
                  tls:
                    certificate: \(certs.appendingPathComponent("ca.crt").path)
                    key: \(certs.appendingPathComponent("server.key").path)

                """
        }
        if let credentials {
            let parts = credentials.split(separator: ":", maxSplits: 1).map(String.init)
            let result = try ExternalTools.run(try ExternalTools.path(of: "htpasswd"), ["-Bbn", parts[0], parts[1]])
            guard result.status == 0 else { throw HarnessError("htpasswd: \(result.stderrText)") }
            let file = directory.appendingPathComponent("htpasswd")
            try Data(result.stdout).write(to: file)
            config += """
                auth:
                  htpasswd:
                    realm: imageaudit-test
                    path: \(file.path)

                """
        }
        let configFile = directory.appendingPathComponent("config.yml")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary ?? "/usr/bin/docker-registry")
        process.arguments = ["serve", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: Self.emptyFile(directory.appendingPathComponent("log")))
        try process.run()
        self.process = process
        try Self.waitForPort(port)
    }

    deinit { stop() }

    func stop() {
        for child in [proxy, process].compactMap({ $0 }) where child.isRunning {
            child.terminate()
            // Never hang the suite on a child that ignores SIGTERM.
            for _ in 0..<40 where child.isRunning { usleep(50_000) }
            if child.isRunning { kill(child.processIdentifier, SIGKILL) }
            child.waitUntilExit()
        }
        proxy = nil
        process = nil
        try? FileManager.default.removeItem(at: directory)
    }

    /// Pushes a TestImages tarball as `REPO:TAG` with skopeo.
    func push(_ image: String, as reference: String) throws {
        var arguments = [
            "copy", "-q", "--preserve-digests", "--dest-tls-verify=false",
            "oci-archive:\(Fixtures.root.path)/TestImages/\(image).tar",
            "docker://\(host)/\(reference)",
        ]
        if let credentials { arguments.insert("--dest-creds=\(credentials)", at: 2) }
        let result = try ExternalTools.run(try ExternalTools.path(of: "skopeo"), arguments)
        guard result.status == 0 else { throw HarnessError("skopeo: \(result.stderrText)") }
    }

    /// Starts scripts/registry-fault-proxy.py in front of this (plain HTTP) registry.
    @discardableResult
    func startProxy(_ options: [String]) throws -> Int {
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ExternalTools.path(of: "python3"))
        process.arguments =
            [
                Fixtures.root.appendingPathComponent("scripts/registry-fault-proxy.py").path, "--listen", "\(port)",
                "--upstream", "\(self.port)", "--log", proxyLog,
            ] + options
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        proxy = process
        proxyPort = port
        try Self.waitForPort(port)
        return port
    }

    var proxyLog: String { directory.appendingPathComponent("proxy.log").path }

    /// The proxy's process id, to kill it as a test's fault (``startProxy(_:)`` first).
    var proxyPID: Int32? { proxy?.processIdentifier }

    /// Sends one request to the registry itself with python3's urllib (no client of ours in the
    /// way): `PUT`, `POST`, `DELETE`. Returns the status and the `Location` header.
    @discardableResult
    func request(
        _ method: String, _ path: String, body: [UInt8] = [], contentType: String = "application/octet-stream"
    ) throws -> (status: Int, location: String) {
        let script = """
            import sys, urllib.request, urllib.error
            method, url, kind = sys.argv[1:4]
            request = urllib.request.Request(url, data=sys.stdin.buffer.read() or None, method=method)
            request.add_header("Content-Type", kind)
            try:
                response = urllib.request.urlopen(request)
                print(response.status, response.headers.get("Location", ""))
            except urllib.error.HTTPError as error:
                print(error.code, error.headers.get("Location", ""))
            """
        let url = path.hasPrefix("http") ? path : "http://\(host)\(path)"
        let result = try ExternalTools.run(
            try ExternalTools.path(of: "python3"), ["-c", script, method, url, contentType], input: body)
        let words = result.stdoutText.split(separator: " ", maxSplits: 1).map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let status = words.first.flatMap({ Int($0) }) else { throw HarnessError("python3: \(result.stderrText)") }
        return (status, words.count > 1 ? words[1] : "")
    }

    /// Uploads one blob to `repository` (monolithic: POST, then PUT with the digest), the first
    /// half of any push; with no manifest after it, the repository is in the catalog with no tags.
    func uploadBlob(_ bytes: [UInt8], to repository: String) throws -> String {
        let digest = FixtureSHA256.digest(bytes)
        let started = try request("POST", "/v2/\(repository)/blobs/uploads/")
        guard started.status == 202 else { throw HarnessError("blob upload: HTTP \(started.status)") }
        let location = started.location.hasPrefix("http") ? started.location : "http://\(host)\(started.location)"
        let separator = location.contains("?") ? "&" : "?"
        let put = try request("PUT", "\(location)\(separator)digest=\(digest)", body: bytes)
        guard put.status == 201 else { throw HarnessError("blob upload: HTTP \(put.status)") }
        return digest
    }

    /// Pushes an OCI artifact (an SBOM-like `artifactType`, the empty config) as `REPO:TAG`; its digest.
    @discardableResult
    func pushArtifact(_ repository: String, tag: String, artifactType: String) throws -> String {
        let empty = Array("{}".utf8)
        let config = try uploadBlob(empty, to: repository)
        let manifest = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "artifactType":"\(artifactType)",\
            "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\(config)","size":2},\
            "layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\(config)","size":2}]}
            """
        let bytes = Array(manifest.utf8)
        let put = try request(
            "PUT", "/v2/\(repository)/manifests/\(tag)", body: bytes,
            contentType: "application/vnd.oci.image.manifest.v1+json")
        guard put.status == 201 else { throw HarnessError("manifest push: HTTP \(put.status)") }
        return FixtureSHA256.digest(bytes)
    }

    /// The manifest of a TestImages tarball, as pushed (skopeo --preserve-digests).
    static func manifest(_ image: String) throws -> [String: Any] {
        let result = try ExternalTools.run(
            try ExternalTools.path(of: "skopeo"),
            ["inspect", "--raw", "oci-archive:\(Fixtures.root.path)/TestImages/\(image).tar"])
        return try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any] ?? [:]
    }

    /// The digests of an image's layers as pushed, largest first.
    static func layerDigests(_ image: String) throws -> [String] {
        let manifest = try manifest(image)
        let layers = manifest["layers"] as? [[String: Any]] ?? []
        return layers.sorted { ($0["size"] as? Int ?? 0) > ($1["size"] as? Int ?? 0) }.compactMap {
            $0["digest"] as? String
        }
    }

    private static func emptyFile(_ url: URL) -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    /// A port the kernel just gave out (bound to port 0, then released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw HarnessError("bind: errno \(errno)") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits (up to 10 s) until something listens on the port.
    static func waitForPort(_ port: Int) throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if connected == 0 { return }
            usleep(50_000)
        }
        throw HarnessError("nothing listens on 127.0.0.1:\(port) after 10 s")
    }
}
