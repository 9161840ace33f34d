import ImageAuditArchive
import ImageAuditOCI

/// What the image resolver needs from a tarball, whichever way it was read: the entry index,
/// small documents by entry, and layer summaries by entry.
protocol TarballContents {
    var index: TarballIndex { get }
    /// The bytes of a JSON document (a manifest, an index, a config).
    func document(_ entry: OuterEntry, what: String) throws(ImageReadError) -> [UInt8]
    /// The summaries of these layer blobs, in the same order.
    func summaries(of entries: [OuterEntry]) -> [Result<LayerSummary, ArchiveError>]
    /// The entry holding the blob a descriptor names (an OCI layout's `blobs/<alg>/<hex>`).
    func blobEntry(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> OuterEntry
}

extension TarballContents {
    /// A tarball or layout directory has the blobs its index lists.
    func blobEntry(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> OuterEntry {
        let path = "blobs/\(descriptor.digest.algorithm)/\(descriptor.digest.encoded)"
        guard index.contains(path) else {
            throw ImageReadError("\(role) \(descriptor.digest) is missing from the tarball (no \(path))")
        }
        return try index.regularFile(at: path, what: role)
    }
}

/// Limits that keep hostile tarballs from using unbounded memory.
enum TarballLimits {
    /// The largest JSON document (manifest, index, config) read; real ones are kilobytes.
    static let maxDocumentSize: Int64 = 16 * 1024 * 1024
    /// Entries this small are kept by a streaming pass whatever their first bytes.
    static let smallEntrySize: Int64 = 64 * 1024
    /// All JSON documents kept by a streaming pass together.
    static let maxDocumentBytes = 256 * 1024 * 1024

    static func checkDocumentSize(_ entry: OuterEntry, what: String) throws(ImageReadError) {
        guard entry.size <= maxDocumentSize else {
            throw ImageReadError(
                "\(what) \(entry.path) is \(entry.size) bytes, more than the \(maxDocumentSize >> 20) MiB a JSON document may have"
            )
        }
    }
}

/// Recognising blobs by their first bytes, for the streaming pass that must decide before it
/// knows which blobs the manifests name.
enum BlobSniffer {
    /// Whether the bytes start like JSON (after white space).
    static func looksLikeJSON(_ prefix: [UInt8]) -> Bool {
        guard let first = prefix.first(where: { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    /// Whether the bytes start like a layer: compressed, or a tar header (ustar magic or a
    /// valid v7 checksum), or the zero blocks of an empty tar.
    static func looksLikeLayer(_ prefix: [UInt8]) -> Bool {
        if Compression.detect(prefix) != .none { return true }
        guard prefix.count >= 512 else { return false }
        if prefix[257..<262].elementsEqual("ustar".utf8) { return true }
        if prefix[0..<512].allSatisfy({ $0 == 0 }) { return true }
        return hasValidChecksum(Array(prefix[0..<512]))
    }

    private static func hasValidChecksum(_ header: [UInt8]) -> Bool {
        let field = header[148..<156].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") || $0 == 0x20 }
        let digits = field.filter { $0 != 0x20 }
        guard !digits.isEmpty, let stored = Int(String(decoding: digits, as: UTF8.self), radix: 8) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int(byte) }
        return sum == stored
    }
}
