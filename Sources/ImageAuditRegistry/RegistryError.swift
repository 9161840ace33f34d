/// Why a registry could not be read: the message a bulk run prints after the reference
/// (`error: docker://HOST/REPO:TAG: manifest unknown (HTTP 404)`). Never holds a secret: no
/// password, token or `Authorization` value is ever put in one.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Worth trying again (a 429, a 5xx, a dropped connection).
    var transient = false
    /// A TLS failure because the certificate is not trusted (never a reason to fall back to HTTP).
    var untrustedCertificate = false
    /// The HTTP status and the distribution API's error code (`NAME_UNKNOWN`) of an error response.
    public var status: Int?
    public var code: String?

    /// The registry does not know the repository (404 `NAME_UNKNOWN`). Its catalog may still
    /// list it: a push that failed before its manifest leaves a repository with no tags.
    public var unknownRepository: Bool { status == 404 && code == "NAME_UNKNOWN" }

    public init(_ message: String) { self.message = message }

    init(_ message: String, transient: Bool) {
        self.message = message
        self.transient = transient
    }

    public var description: String { message }
}
