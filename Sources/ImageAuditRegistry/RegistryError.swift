/// Why a registry could not be read: the message a bulk run prints after the reference
/// (`error: docker://HOST/REPO:TAG: manifest unknown (HTTP 404)`). Never holds a secret: no
/// password, token or `Authorization` value is ever put in one.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Worth trying again (a 429, a 5xx, a dropped connection).
    var transient = false
    /// A TLS failure because the certificate is not trusted (never a reason to fall back to HTTP).
    var untrustedCertificate = false

    public init(_ message: String) { self.message = message }

    init(_ message: String, transient: Bool) {
        self.message = message
        self.transient = transient
    }

    public var description: String { message }
}
