import ImageAuditELF

/// The ranges of a file the layer reader kept, readable as an ``ELFByteSource``: a read inside
/// one kept range succeeds, anything else gives nil. (The ELF module's own sparse source
/// replaces this once it lands.)
struct CapturedBytes: ELFByteSource {
    let size: Int
    /// Sorted, disjoint.
    private let chunks: [(offset: Int, bytes: [UInt8])]

    init(size: Int, chunks: [(offset: Int, bytes: [UInt8])]) {
        self.size = size
        self.chunks = chunks.filter { !$0.bytes.isEmpty }.sorted { $0.offset < $1.offset }
    }

    func bytes(in range: Range<Int>) -> ArraySlice<UInt8>? {
        guard range.lowerBound >= 0, range.upperBound <= size else { return nil }
        // The last chunk that starts at or before the range.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].offset <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let chunk = chunks[low - 1]
        guard range.upperBound <= chunk.offset + chunk.bytes.count else { return nil }
        return chunk.bytes[(range.lowerBound - chunk.offset)..<(range.upperBound - chunk.offset)]
    }
}
