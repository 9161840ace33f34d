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
    /// `PT_DYNAMIC`'s range while its bytes are awaited: once they are in, the ranges of the
    /// tables it points to are added (the parts still to come).
    private var pendingDynamic: Range<Int>?
    /// Every table range the dynamic section names, wherever it lies (for a second look).
    private var tableRanges: [Range<Int>] = []
    /// Ranges known before the file starts (a second look): kept from the first byte.
    private let knownRanges: [Range<Int>]
    /// What is left of ``maxELFCapture`` for this file.
    private var elfBudget = Self.maxELFCapture

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
    ///   - knownRanges: ELF ranges to keep besides those decided from the file's bytes (what a
    ///     first read found it needed after they had passed).
    init(
        size: Int64, dataLimit: Int?, headRules: ContentRequirements? = nil, budget: ContentBudget? = nil,
        knownRanges: [Range<Int>] = []
    ) {
        self.size = max(0, size)
        self.budget = budget
        self.knownRanges = knownRanges
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
        if mayBeELF {
            let last = ranges?.map(\.upperBound).max() ?? 0
            end = max(end, prefixEnd, Int64(last), Int64(pendingDynamic?.upperBound ?? 0))
        }
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

    /// An offset strictly inside `start ..< end` where a decision is made: the end of the
    /// prefix, or the end of `PT_DYNAMIC`. (No array: this runs for every block.)
    private func decisionPoint(after start: Int64, before end: Int64) -> Int64? {
        if mayBeELF && ranges == nil && start < prefixEnd && prefixEnd < end { return prefixEnd }
        if let pendingDynamic {
            let point = Int64(pendingDynamic.upperBound)
            if start < point && point < end { return point }
        }
        return nil
    }

    /// Takes a segment in parts split at the decision points, so the ranges decided there get
    /// every byte after them.
    private mutating func take(start: Int64, count: Int64, bytes: UnsafeRawBufferPointer?) {
        let end = start + count
        if let point = decisionPoint(after: start, before: end) {
            let first = Int(point - start)
            let head = bytes.map { UnsafeRawBufferPointer(rebasing: $0[..<first]) }
            take(start: start, count: point - start, bytes: head)
            take(start: point, count: end - point, bytes: bytes.map { UnsafeRawBufferPointer(rebasing: $0[first...]) })
            return
        }
        takeWhole(start: start, count: count, bytes: bytes)
        if let pendingDynamic, position >= Int64(pendingDynamic.upperBound) { addTableRanges(seenUpTo: Int(position)) }
    }

    /// Appends the part of a segment (bytes, or zeros when nil) that falls into each window.
    private mutating func takeWhole(start: Int64, count: Int64, bytes: UnsafeRawBufferPointer?) {
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
        let wanted = ELFFile.rangesToCapture(prefix: prefix, fileSize: Int(clamping: size)) + knownRanges
        var merged: [Range<Int>] = []
        for range in wanted.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let clipped = max(0, range.lowerBound)..<min(Int(clamping: size), max(range.upperBound, range.lowerBound))
            guard !clipped.isEmpty, elfBudget > 0 else { continue }
            let bounded = clipped.lowerBound..<min(clipped.upperBound, clipped.lowerBound + elfBudget)
            elfBudget -= bounded.count
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
        pendingDynamic = ELFFile.dynamicRange(prefix: prefix, fileSize: Int(clamping: size))
        if let pendingDynamic, pendingDynamic.upperBound <= prefix.count { addTableRanges(seenUpTo: prefix.count) }
    }

    /// `PT_DYNAMIC` is in: keeps the parts of the tables it points to that are still to come.
    /// Parts that passed before they were known and were not kept make the parse incomplete;
    /// ``finishing()`` then asks for a second look.
    private mutating func addTableRanges(seenUpTo seen: Int) {
        guard let dynamic = pendingDynamic else { return }
        pendingDynamic = nil
        guard let bytes = keptBytes(dynamic) else { return }
        let fileSize = Int(clamping: size)
        tableRanges = ELFFile.dynamicTableRanges(prefix: prefix, dynamic: bytes, fileSize: fileSize)
        for table in tableRanges where table.upperBound > seen {
            for gap in Self.gaps(in: max(table.lowerBound, seen)..<table.upperBound, outside: ranges ?? []) {
                guard elfBudget > 0 else { return }
                let bounded = gap.lowerBound..<min(gap.upperBound, gap.lowerBound + elfBudget)
                elfBudget -= bounded.count
                ranges?.append(bounded)
                var storage: [UInt8] = []
                storage.reserveCapacity(bounded.count)
                rangeBytes.append(storage)
            }
        }
    }

    /// The kept bytes of `range`, when one kept range holds all of them.
    private func keptBytes(_ range: Range<Int>) -> ArraySlice<UInt8>? {
        guard let ranges, let index = ranges.firstIndex(where: { $0.contains(range.lowerBound) }) else { return nil }
        let start = range.lowerBound - ranges[index].lowerBound
        let stored = rangeBytes[index]
        guard start + range.count <= stored.count else { return nil }
        return stored[start..<(start + range.count)]
    }

    /// The parts of `range` that none of `ranges` covers.
    static func gaps(in range: Range<Int>, outside ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lower = range.lowerBound
        for kept in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where kept.upperBound > lower {
            guard kept.lowerBound < range.upperBound else { break }
            if kept.lowerBound > lower { result.append(lower..<kept.lowerBound) }
            lower = max(lower, kept.upperBound)
        }
        if lower < range.upperBound { result.append(lower..<range.upperBound) }
        return result
    }

    /// What was kept. ELF files are parsed here, from the kept ranges only.
    func finish() -> FileContent { finishing().content }

    /// What was kept, and for an ELF file whose tables were not all kept (they passed before
    /// `PT_DYNAMIC` said where they are), the ranges a second read must keep from the start.
    func finishing() -> (content: FileContent, secondLook: [Range<Int>]?) {
        let content = parse()
        guard knownRanges.isEmpty, !tableRanges.isEmpty, case .success(let elf)? = content.elf,
            !elf.uncapturedTables.isEmpty
        else { return (content, nil) }
        return (content, tableRanges)
    }

    private func parse() -> FileContent {
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
