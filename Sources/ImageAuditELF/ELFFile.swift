// Placeholder until the ELF reader lands (issue 3). The names below are the contract the
// layer reader and the filesystem build on; the ELF work fills them in.

/// Random access to the bytes of a file that may have been captured only in part.
public protocol ELFByteSource {
    /// The size of the whole file.
    var size: Int { get }
    /// The bytes in `range`, or nil when they are outside the file or were not captured.
    func bytes(in range: Range<Int>) -> ArraySlice<UInt8>?
}

extension Array: ELFByteSource where Element == UInt8 {
    public var size: Int { count }
    public func bytes(in range: Range<Int>) -> ArraySlice<UInt8>? {
        range.lowerBound >= 0 && range.upperBound <= count ? self[range] : nil
    }
}

/// A parsed ELF file.
public struct ELFFile: Sendable {
    /// How many leading bytes the layer reader hands to ``rangesToCapture(prefix:fileSize:)``.
    public static let probeLength = 64 * 1024

    /// The byte ranges a streaming reader must keep for ``init(parsing:)`` to succeed, decided
    /// from the first ``probeLength`` bytes (or the whole file when shorter).
    public static func rangesToCapture(prefix: [UInt8], fileSize: Int) -> [Range<Int>] {
        [0..<min(fileSize, probeLength)]
    }

    /// Parses what the loader and the audit need from an ELF file.
    public init(parsing source: some ELFByteSource) throws(ELFError) {
        throw .notELF
    }
}

/// Why bytes could not be read as an ELF file.
public enum ELFError: Error, Sendable, Hashable {
    case notELF
}
