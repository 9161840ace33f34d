import ImageAuditELF
import ImageAuditFS

/// Keeps what the audit needs of one regular file while its bytes stream by, and nothing more:
/// the first 256 bytes; for ELF files the ranges ``ELFFile/rangesToCapture(prefix:fileSize:)``
/// asks for, decided from the first ``ELFFile/probeLength`` bytes; the whole file when the
/// ``ContentRequirements`` name it (by path, or by its first bytes), it fits the cap and the
/// read's ``ContentBudget`` has room.
struct ContentCollector {
    private let size: Int64
    private var head: [UInt8] = []
    /// The first bytes, kept while the file may be an ELF file and its ranges are not decided.
    private var prefix: [UInt8] = []
    private var mayBeELF = true
    /// The ranges to keep, sorted and disjoint, once decided.
    private var ranges: [Range<Int>]?
    /// The bytes of each of `ranges`, filled as they arrive.
    private var rangeBytes: [[UInt8]] = []
    private var data: [UInt8]?
    private var withheld: FileContent.Withheld?
    /// Head rules to apply once the head is complete (nil: none, or already decided).
    private var headRules: ContentRequirements?
    private let budget: ContentBudget?
    private(set) var position: Int64 = 0

    /// At most this many bytes of one file are kept for its ELF ranges (the ELF reader asks for
    /// at most two 32 MiB table windows plus small parts): a hostile header cannot make the
    /// reader hold a huge file.
    static let maxELFCapture = 80 * 1024 * 1024
    private static let elfMagic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]

    /// - Parameters:
    ///   - size: the size the tar header gives.
    ///   - dataLimit: keep the whole file when it is at most this big (its path is required).
    ///   - headRules: requirements whose head rules decide once the first bytes are in.
    ///   - budget: the read's total for whole files; nil: no total (tests).
    init(size: Int64, dataLimit: Int?, headRules: ContentRequirements? = nil, budget: ContentBudget? = nil) {
        self.size = max(0, size)
        self.budget = budget
        if self.size < 4 { mayBeELF = false }
        head.reserveCapacity(Int(min(self.size, Int64(FileContent.headLimit))))
        if let dataLimit {
            keepWhole(cap: dataLimit)
        } else if let headRules, headRules.hasHeadRules {
            self.headRules = headRules
        }
    }

    /// Starts keeping the whole file (the head read so far included) if it fits and the budget allows.
    private mutating func keepWhole(cap: Int) {
        guard size <= Int64(cap) else {
            withheld = .cap(cap)
            return
        }
        if let budget, !budget.take(Int(size)) {
            withheld = .budget(budget.total)
            return
        }
        data = head
        data?.reserveCapacity(Int(size))
    }

    private var headEnd: Int64 { min(size, Int64(FileContent.headLimit)) }
    private var prefixEnd: Int64 { min(size, Int64(ELFFile.probeLength)) }

    /// Whether bytes after ``position`` still matter; when not, the reader skips the rest.
    var needsMoreBytes: Bool {
        var end = headEnd  // head rules are decided by then
        if data != nil { end = size }
        if mayBeELF { end = max(end, prefixEnd, Int64(ranges?.last?.upperBound ?? 0)) }
        return position < end
    }

    /// Takes the next block of the file; `offset` is its position (a gap before it is a hole of
    /// a sparse file and reads as zeros).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        if offset > position { take(start: position, count: offset - position, bytes: nil) }
        let skip = max(0, position - offset)
        guard skip < Int64(bytes.count) else { return }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[Int(skip)...])
        take(start: offset + skip, count: Int64(rest.count), bytes: rest)
    }

    /// Appends the part of a segment (bytes, or zeros when nil) that falls into each window.
    private mutating func take(start: Int64, count: Int64, bytes: UnsafeRawBufferPointer?) {
        let end = start + count
        func append(_ window: Range<Int64>, to target: inout [UInt8]) {
            let lower = max(window.lowerBound, start)
            let upper = min(window.upperBound, end)
            guard lower < upper else { return }
            if let bytes {
                target.append(contentsOf: bytes[Int(lower - start)..<Int(upper - start)])
            } else {
                target.append(contentsOf: repeatElement(0, count: Int(upper - lower)))
            }
        }
        append(0..<headEnd, to: &head)
        if let rules = headRules, Int64(head.count) == headEnd {
            headRules = nil
            if let cap = rules.limit(forHead: head) { keepWhole(cap: cap) }
        }
        if var captured = data {
            data = nil  // so `captured` is the only reference and appending does not copy
            // `captured` is always the first `count` bytes: append only what follows them.
            append(Int64(captured.count)..<size, to: &captured)
            data = captured
        }
        if mayBeELF {
            if ranges == nil {
                append(0..<prefixEnd, to: &prefix)
                if prefix.count >= 4 && !prefix.starts(with: Self.elfMagic) {
                    mayBeELF = false
                    prefix = []
                } else if Int64(prefix.count) == prefixEnd {
                    decideRanges()
                }
            }
            if let ranges {
                for (index, range) in ranges.enumerated() {
                    let window = max(Int64(range.lowerBound), prefixEnd)..<Int64(range.upperBound)
                    if !window.isEmpty { append(window, to: &rangeBytes[index]) }
                }
            }
        }
        position = max(position, end)
    }

    /// Asks the ELF reader which ranges to keep, then bounds them by the file and the cap.
    private mutating func decideRanges() {
        let wanted = ELFFile.rangesToCapture(prefix: prefix, fileSize: Int(clamping: size))
        var merged: [Range<Int>] = []
        var budget = Self.maxELFCapture
        for range in wanted.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let clipped = max(0, range.lowerBound)..<min(Int(clamping: size), max(range.upperBound, range.lowerBound))
            guard !clipped.isEmpty, budget > 0 else { continue }
            let bounded = clipped.lowerBound..<min(clipped.upperBound, clipped.lowerBound + budget)
            budget -= bounded.count
            if let last = merged.last, bounded.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, bounded.upperBound)
            } else {
                merged.append(bounded)
            }
        }
        ranges = merged
        // Each range's bytes in one array of its exact size: the part inside the prefix now,
        // the rest as it arrives (no doubling as it grows, no copy when parsing).
        rangeBytes = merged.map { range in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count)
            if range.lowerBound < prefix.count {
                bytes += prefix[range.lowerBound..<min(range.upperBound, prefix.count)]
            }
            return bytes
        }
    }

    /// What was kept. ELF files are parsed here, from the kept ranges only.
    func finish() -> FileContent {
        var elf: Result<ELFFile, ELFError>?
        if mayBeELF && head.starts(with: Self.elfMagic) {
            if let data, Int64(data.count) == size {
                elf = Result { () throws(ELFError) in try ELFFile(parsing: data) }
            } else if Int64(prefix.count) == size {
                elf = Result { () throws(ELFError) in try ELFFile(parsing: prefix) }
            } else {
                elf = Result { () throws(ELFError) in try ELFFile(parsing: capturedBytes()) }
            }
        }
        var content = FileContent(head: head, elf: elf, data: data.flatMap { Int64($0.count) == size ? $0 : nil })
        content.withheld = withheld
        return content
    }

    /// The kept ranges as an ``ELFByteSource`` (disjoint, so ``SparseBytes`` shares the arrays).
    private func capturedBytes() -> SparseBytes {
        SparseBytes(size: Int(clamping: size), chunks: zip(ranges ?? [], rangeBytes).map { ($0.lowerBound, $1) })
    }
}
