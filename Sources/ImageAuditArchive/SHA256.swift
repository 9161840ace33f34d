internal import CCrypto

/// Streaming SHA-256 (OpenSSL's EVP, which uses the CPU's SHA extensions where present).
///
/// Not `Sendable`: one owner feeds it, then reads the digest once.
public final class SHA256 {
    private let context: OpaquePointer?

    public init() {
        context = EVP_MD_CTX_new()
        // EVP_DigestInit_ex cannot fail for a built-in digest with a fresh context.
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the hash. The corresponding C function is `EVP_DigestUpdate`.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds bytes to the hash.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest. The corresponding C function is `EVP_DigestFinal_ex`.
    public func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        digest.withUnsafeMutableBufferPointer { buffer in
            _ = EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
        }
        return digest
    }

    /// The digest of some bytes, in one call.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        let hasher = SHA256()
        hasher.update(bytes)
        return hasher.finish()
    }
}
