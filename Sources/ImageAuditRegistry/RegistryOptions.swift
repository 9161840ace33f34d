import Foundation

/// How to reach registries: credentials and TLS, as skopeo spells them (docs/registry.md).
public struct RegistryOptions: Sendable, Hashable {
    /// `--creds USER[:PASS]`: for every registry of the run.
    public var credentials: String?
    /// `--authfile PATH` (else `REGISTRY_AUTH_FILE`): a podman/skopeo `auth.json`.
    public var authFile: String?
    /// `--cert-dir DIR`: `*.crt` CAs trusted besides the system's, `*.cert`/`*.key` a client certificate.
    public var certDirectory: String?
    /// `--tls-verify=false`: accept any certificate, and fall back to plain HTTP when HTTPS fails.
    public var verifyTLS = true
    /// `--plain-http`: speak HTTP, not HTTPS, to every registry.
    public var plainHTTP = false
    /// How often a request is tried again after a 429, a 5xx or a dropped connection.
    public var retries = 5
    /// The environment credentials and CAs are looked up in (tests give their own).
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init() {}

    /// `SSL_CERT_FILE`: a CA bundle trusted besides the system's.
    var caFile: String? { environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 } }
}
