import Foundation
import ImageAuditArchive
import ImageAuditOCI

/// Decoding the tarball's JSON documents with messages that say what was wrong and where.
enum JSONDocument {
    static func decode<T: Decodable>(
        _ type: T.Type, from bytes: [UInt8], what: String, expected: String
    )
        throws(ImageReadError) -> T
    {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ImageReadError("\(what): \(explain(error, expected: expected))")
        } catch {
            throw ImageReadError("\(what): not valid JSON")
        }
    }

    private static func explain(_ error: DecodingError, expected: String) -> String {
        func at(_ path: [any CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "" : " at \(text.hasPrefix(".") ? String(text.dropFirst()) : text)"
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return "\(context.debugDescription)\(at(context.codingPath)) (expected \(expected))"
        case .keyNotFound(let key, let context):
            return "not \(expected): \"\(key.stringValue)\" is missing\(at(context.codingPath))"
        case .typeMismatch(let type, let context):
            return "not \(expected): \(describe(type)) expected\(at(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "not \(expected): \(describe(type)) expected\(at(context.codingPath)), found null"
        @unknown default:
            return "not \(expected)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a number"
        case is Bool.Type: "a boolean"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    /// The sha256 digest of some bytes.
    static func digest(of bytes: [UInt8]) -> Digest {
        Digest(sha256: SHA256.hash(bytes))
    }
}
