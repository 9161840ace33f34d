// Source: https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests

/// A content digest such as `sha256:0123…`, validated on construction.
public struct Digest: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The algorithm, e.g. `sha256`.
    public let algorithm: String
    /// The lower-case hex encoding.
    public let encoded: String

    /// Parses `algorithm:encoded`; nil when it is not a digest this tool can check.
    /// Only sha256 (64 lower-case hex digits) and sha512 (128) are accepted.
    public init?(_ string: String) {
        guard let colon = string.firstIndex(of: ":") else { return nil }
        let algorithm = String(string[..<colon])
        let encoded = String(string[string.index(after: colon)...])
        let expectedLength: Int
        switch algorithm {
        case "sha256": expectedLength = 64
        case "sha512": expectedLength = 128
        default: return nil
        }
        guard encoded.utf8.count == expectedLength,
            encoded.utf8.allSatisfy({
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            })
        else { return nil }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// A sha256 digest from its 32 raw bytes.
    public init(sha256 bytes: [UInt8]) {
        precondition(bytes.count == 32, "a sha256 digest has 32 bytes")
        algorithm = "sha256"
        encoded = bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]], as: UTF8.self)
        }.joined()
    }

    public var description: String { "\(algorithm):\(encoded)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        guard let digest = Digest(string) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a digest: \(string)")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
