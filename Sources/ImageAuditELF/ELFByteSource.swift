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

/// The parts of a file a streaming reader kept (see ``ELFFile/rangesToCapture(prefix:fileSize:)``),
/// readable as an ``ELFByteSource``: a read inside one kept range succeeds, any other read gives nil.
public struct SparseBytes: ELFByteSource, Sendable {
    public let size: Int
    /// Kept ranges, sorted by offset, neither overlapping nor touching.
    private var chunks: [(start: Int, bytes: [UInt8])] = []

    /// - Parameters:
    ///   - size: the size of the whole file.
    ///   - chunks: kept bytes with the file offset of their first byte, in any order; overlapping
    ///     or adjacent chunks are merged (the later one wins where they overlap).
    public init(size: Int, chunks: [(offset: Int, bytes: [UInt8])]) {
        self.size = size
        for chunk in chunks.sorted(by: { $0.offset < $1.offset }) where !chunk.bytes.isEmpty && chunk.offset >= 0 {
            if let last = self.chunks.last, chunk.offset <= last.start + last.bytes.count {
                let keep = chunk.offset - last.start
                let end = max(last.start + last.bytes.count, chunk.offset + chunk.bytes.count)
                var merged = Array(last.bytes[..<keep])
                merged.append(contentsOf: chunk.bytes)
                if merged.count < end - last.start {
                    merged.append(contentsOf: last.bytes[merged.count...])
                }
                self.chunks[self.chunks.count - 1].bytes = merged
            } else {
                self.chunks.append((chunk.offset, chunk.bytes))
            }
        }
    }

    /// Keeps `ranges` of `file` (a whole file in memory): what a streaming reader does, for tests
    /// and for callers that have the file at hand.
    public init(keeping ranges: [Range<Int>], of file: [UInt8]) {
        let clipped = ranges.compactMap { range -> (offset: Int, bytes: [UInt8])? in
            let lower = max(0, range.lowerBound)
            let upper = min(file.count, range.upperBound)
            return lower < upper ? (lower, Array(file[lower..<upper])) : nil
        }
        self.init(size: file.count, chunks: clipped)
    }

    /// How many bytes are kept.
    public var keptByteCount: Int { chunks.reduce(0) { $0 + $1.bytes.count } }

    public func bytes(in range: Range<Int>) -> ArraySlice<UInt8>? {
        guard range.lowerBound >= 0, range.upperBound <= size else { return nil }
        // The last chunk starting at or before the range.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].start <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let chunk = chunks[low - 1]
        guard range.upperBound <= chunk.start + chunk.bytes.count else { return nil }
        return chunk.bytes[(range.lowerBound - chunk.start)..<(range.upperBound - chunk.start)]
    }
}
