extension ELFFile {
    /// The most of the table window kept per segment: the symbol, string, version and relocation
    /// tables of the largest libraries measured (libLLVM-15, 117 MB) end 14 MB into the file.
    public static let tableWindowLimit = 32 * 1024 * 1024
    /// The most of `PT_DYNAMIC` kept (65 536 entries).
    static let dynamicLimit = 1024 * 1024

    /// The byte ranges a streaming reader must keep for ``init(parsing:)`` to succeed, decided
    /// from the first ``probeLength`` bytes (or the whole file when shorter).
    ///
    /// Kept: the prefix; the program header table; `PT_INTERP`; `PT_DYNAMIC`; the first `PT_LOAD`
    /// segment, where linkers put the dynamic symbol, string, version, hash and relocation tables
    /// ahead of the code (GNU ld, lld, gold); when that segment is executable, also the next
    /// read-only one (the Go linker puts the tables after `.rodata`); and the start of the first
    /// writable segment, where Go keeps its build information; the non-executable segments after
    /// that one and before `PT_DYNAMIC` (where patchelf puts tables). Each segment part is capped
    /// at ``tableWindowLimit``. The ranges are sorted, disjoint and within the file. The tables
    /// the dynamic section points to elsewhere are in ``dynamicTableRanges(prefix:dynamic:fileSize:)``.
    public static func rangesToCapture(prefix: [UInt8], fileSize: Int) -> [Range<Int>] {
        var ranges = [0..<max(0, min(fileSize, probeLength))]
        guard let header = try? ELFHeader(parsing: prefix) else { return merged(ranges, fileSize: fileSize) }
        let entrySize = ProgramHeader.entrySize(is64: header.is64)
        if header.programHeaderCount == ELFHeader.extendedNumbering, let range = span(header.sectionHeaderOffset, 64) {
            ranges.append(range)
        }
        if let range = span(header.programHeaderOffset, min(65_536, Int(header.programHeaderCount) * entrySize)) {
            ranges.append(range)
        }
        guard let programHeaders = try? ProgramHeader.table(of: header, in: prefix) else {
            return merged(ranges, fileSize: fileSize)
        }
        for segment in programHeaders {
            guard let range = segment.fileRange(clampedTo: fileSize) else { continue }
            switch segment.type {
            case ProgramHeader.interpreter: ranges.append(clip(range, 4096))
            case ProgramHeader.dynamic: ranges.append(clip(range, dynamicLimit))
            default: break
            }
        }
        let loads = programHeaders.filter(\.isLoad).sorted { $0.offset < $1.offset }
        if let first = loads.first, let range = first.fileRange(clampedTo: fileSize) {
            ranges.append(clip(range, tableWindowLimit))
            if first.isExecutable, let next = loads.dropFirst().first(where: { !$0.isExecutable && !$0.isWritable }),
                let nextRange = next.fileRange(clampedTo: fileSize)
            {
                ranges.append(clip(nextRange, tableWindowLimit))
            }
        }
        if let data = loads.first(where: { $0.isWritable && !$0.isExecutable }),
            let range = data.fileRange(clampedTo: fileSize)
        {
            ranges.append(clip(range, 64 * 1024))
        }
        // patchelf and auditwheel move the dynamic tables into new segments past the data
        // segment, some ahead of PT_DYNAMIC: a stream keeps those bytes before PT_DYNAMIC says
        // where the tables are (``dynamicTableRanges`` covers the ones after it).
        if let dynamic = programHeaders.first(where: { $0.type == ProgramHeader.dynamic }),
            let dynamicStart = Int(exactly: dynamic.offset),
            let firstWritable = loads.first(where: \.isWritable)
        {
            for segment in loads where !segment.isExecutable && segment.offset > firstWritable.offset {
                guard let range = segment.fileRange(clampedTo: fileSize), range.lowerBound < dynamicStart
                else { continue }
                ranges.append(clip(range.lowerBound..<min(range.upperBound, dynamicStart), tableWindowLimit))
            }
        }
        return merged(ranges, fileSize: fileSize)
    }

    /// `offset ..< offset + length`, or nil when it does not fit in an `Int`.
    private static func span(_ offset: UInt64, _ length: Int) -> Range<Int>? {
        guard let start = Int(exactly: offset) else { return nil }
        let (end, overflow) = start.addingReportingOverflow(length)
        return overflow ? nil : start..<end
    }

    private static func clip(_ range: Range<Int>, _ limit: Int) -> Range<Int> {
        range.lowerBound..<(range.lowerBound + min(range.count, limit))
    }

    /// Sorted, clipped to the file, overlapping or touching ranges joined.
    static func merged(_ ranges: [Range<Int>], fileSize: Int) -> [Range<Int>] {
        var result: [Range<Int>] = []
        let clipped = ranges.compactMap { range -> Range<Int>? in
            let lower = max(0, range.lowerBound)
            let upper = min(fileSize, range.upperBound)
            return lower < upper ? lower..<upper : nil
        }
        for range in clipped.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
