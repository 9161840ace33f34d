import Foundation
import ImageAuditTestSupport
import Testing

/// docker's credential helpers (`credsStore`, `credHelpers` in config.json) against the real
/// registry with htpasswd basic auth and TLS: a `docker-credential-NAME` script the test writes
/// onto PATH answers `get` as docker's helpers do (credentials JSON, or "credentials not found
/// in native keychain" and exit 1), and logs the server URL it was asked for.
@Suite(.serialized, .enabled(if: RegistryHarness.available, Comment(rawValue: RegistryHarness.skipReason)))
struct RegistryCredentialHelperTests {
    static let password = "h3lper-s3cret"

    /// A scratch directory with the helpers (`good`, `failing`, `chatty`, `stuck`, `empty`) and a config.json.
    private struct Setup {
        let directory: URL
        let registry: RegistryHarness

        var askedLog: String { directory.appendingPathComponent("asked").path }

        init(registry: RegistryHarness) throws {
            self.registry = registry
            directory = registry.directory.appendingPathComponent("docker")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let answer = #"{"ServerURL":"%s","Username":"alice","Secret":"\#(password)"}"#
            try helper(
                "good",
                """
                server=$(cat)
                echo "$server" >> \(askedLog)
                if [ "$server" = "\(registry.host)" ]; then printf '\(answer)' "$server"; exit 0; fi
                echo "credentials not found in native keychain"; exit 1
                """)
            // Prints the secret and fails: the secret must not reach the error.
            try helper("failing", "cat > /dev/null; echo '\(password)'; exit 3")
            try helper("chatty", "cat > /dev/null; head -c 2000000 /dev/zero | tr '\\0' x")
            try helper("stuck", "exec sleep 120")
            try helper("empty", "cat > /dev/null; echo 'credentials not found in native keychain'; exit 1")
        }

        private func helper(_ name: String, _ body: String) throws {
            let path = directory.appendingPathComponent("docker-credential-\(name)").path
            try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// Runs a registry audit with `config` as `$DOCKER_CONFIG/config.json` and the helpers on PATH.
        func run(_ config: String, reference: String? = nil, certificates: Bool = true) throws -> (
            status: Int32, images: [[String: Any]], stderr: String, stdout: String
        ) {
            try config.write(
                to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            return try RegistryReports.images(
                [reference ?? "docker://\(registry.host)/secure/app:v1"]
                    + (certificates ? ["--cert-dir", registry.certDirectory] : []),
                environment: ["DOCKER_CONFIG": directory.path, "PATH": directory.path + ":" + path],
                removing: ["REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR"])
        }
    }

    @Test func helpersGiveCredentialsInDockersOrder() throws {
        let registry = try RegistryHarness(tls: true, credentials: "alice:\(Self.password)")
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "secure/app:v1")
        let setup = try Setup(registry: registry)
        let wrong = Data("alice:wrong".utf8).base64EncodedString()
        let expected = try RegistryReports.tarballReport("alpine-musl-app")

        let store = try setup.run(#"{"credsStore": "good"}"#)
        #expect(store.status == 0, "\(store.stderr)")
        #expect(store.images.first.map(RegistryReports.comparable) == expected)
        let asked = try String(contentsOfFile: setup.askedLog, encoding: .utf8)
        #expect(asked.split(separator: "\n").allSatisfy { $0 == registry.host }, "\(asked)")
        // credsStore beats auths (docker's rule), credHelpers beats credsStore.
        let overAuths = try setup.run(#"{"credsStore": "good", "auths": {"\#(registry.host)": {"auth": "\#(wrong)"}}}"#)
        #expect(overAuths.status == 0, "\(overAuths.stderr)")
        let overStore = try setup.run(
            #"{"credsStore": "missing", "credHelpers": {"\#(registry.host)": "good"}}"#)
        #expect(overStore.status == 0, "\(overStore.stderr)")
        // A helper for another host leaves this one to auths.
        let other = try setup.run(
            #"{"credHelpers": {"elsewhere.example:5000": "missing"}, "auths": {"\#(registry.host)": {"auth": "\#(wrong)"}}}"#
        )
        #expect(other.status == 2 && other.stderr.contains("HTTP 401"), "\(other.stderr)")
    }

    /// An identity token (`<token>` from a helper, `identitytoken` in `auths`) is traded for a
    /// bearer token with docker's OAuth2 form (POST realm, grant_type=refresh_token), never
    /// sent as basic auth; the proxy's token service accepts only that form with that token.
    @Test func identityTokensGoThroughTheOAuth2Form() throws {
        let registry = try RegistryHarness()
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "oauth/app:v1")
        let identity = "id-t0ken-secret"
        let port = try registry.startProxy(["--bearer", "bob:unused", "--identity-token", identity])
        let setup = try Setup(registry: registry)
        let reference = "docker://127.0.0.1:\(port)/oauth/app:v1"
        let helper = setup.directory.appendingPathComponent("docker-credential-oauth").path
        try "#!/bin/sh\ncat > /dev/null; printf '{\"Username\":\"<token>\",\"Secret\":\"\(identity)\"}'\n".write(
            toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        let expected = try RegistryReports.tarballReport("alpine-musl-app")
        let configs = [
            #"{"credsStore": "oauth"}"#, #"{"auths": {"127.0.0.1:\#(port)": {"identitytoken": "\#(identity)"}}}"#,
        ]
        for config in configs {
            let result = try setup.run(config, reference: reference, certificates: false)
            #expect(result.images.first.map(RegistryReports.comparable) == expected, "\(config): \(result.stderr)")
            #expect(!result.stderr.contains(identity))
        }
        let log = try String(contentsOfFile: registry.proxyLog, encoding: .utf8)
        #expect(log.contains("POST /token - 200\n"), "\(log)")
        #expect(!log.contains("GET /token"), "an identity token went as basic auth: \(log)")
        let wrong = try setup.run(
            #"{"auths": {"127.0.0.1:\#(port)": {"identitytoken": "not-it"}}}"#, reference: reference,
            certificates: false)
        #expect(wrong.status == 2 && wrong.stderr.contains("the token service refused the credentials (HTTP 401)"))
    }

    @Test func missingFailingOrFloodingHelperIsOneLineWithoutTheSecret() throws {
        let registry = try RegistryHarness(tls: true, credentials: "alice:\(Self.password)")
        defer { registry.stop() }
        try registry.push("alpine-musl-app", as: "secure/app:v1")
        let setup = try Setup(registry: registry)
        let cases = [
            ("missing", "credential helper docker-credential-missing: not found on PATH"),
            ("failing", "credential helper docker-credential-failing failed (exit 3)"),
            ("chatty", "credential helper docker-credential-chatty: its answer is over 1048576 bytes"),
            ("stuck", "credential helper docker-credential-stuck: no answer after 30 s"),
        ]
        for (helper, message) in cases {
            let result = try setup.run(#"{"credsStore": "\#(helper)"}"#)
            #expect(result.status == 2, "\(helper)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasSuffix(message) == true, "\(helper): \(result.stderr)")
            #expect(!result.stderr.contains(Self.password) && !result.stdout.contains(Self.password))
        }
        // Not found for this host: anonymous (as docker), which the registry refuses.
        let notFound = try setup.run(#"{"credHelpers": {"\#(registry.host)": "empty"}}"#)
        #expect(notFound.status == 2 && notFound.stderr.contains("authentication required"), "\(notFound.stderr)")
    }
}
