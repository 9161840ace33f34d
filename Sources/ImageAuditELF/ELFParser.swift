/// The state shared while one file is parsed: the source, the header, the address map and the
/// issues found so far. Tables that cannot be read are recorded, not thrown.
struct ELFParser<Source: ELFByteSource> {
    let source: Source
    let header: ELFHeader
    let map: SegmentMap
    var issues: [ELFIssue] = []

    var is64: Bool { header.is64 }
    var bigEndian: Bool { header.dataEncoding == .bigEndian }

    init(source: Source, header: ELFHeader, programHeaders: [ProgramHeader]) {
        self.source = source
        self.header = header
        map = SegmentMap(programHeaders)
    }

    /// The bytes at file `range`, or nil (with an issue for `table`) when they were not kept.
    mutating func view(fileRange range: Range<Int>, for table: ELFTable) -> ByteView? {
        guard range.lowerBound >= 0, range.upperBound <= source.size else {
            issues.append(ELFIssue(table: table, problem: .malformed, offset: range.lowerBound))
            return nil
        }
        guard let bytes = source.bytes(in: range) else {
            issues.append(ELFIssue(table: table, problem: .notCaptured, offset: range.lowerBound))
            return nil
        }
        return ByteView(base: range.lowerBound, bytes: bytes, bigEndian: bigEndian)
    }

    /// The bytes of `length` at virtual `address`, mapped through `PT_LOAD`.
    mutating func view(address: UInt64, length: UInt64, for table: ELFTable) -> ByteView? {
        guard let offset = map.fileOffset(of: address, length: max(length, 1)) else {
            issues.append(ELFIssue(table: table, problem: .unmapped, offset: nil))
            return nil
        }
        guard let count = Int(exactly: length), count <= source.size - offset else {
            issues.append(ELFIssue(table: table, problem: .malformed, offset: offset))
            return nil
        }
        return view(fileRange: offset..<(offset + count), for: table)
    }

    /// Records that `table` is unusable because of `error`.
    mutating func record(_ error: ELFError, for table: ELFTable) {
        switch error {
        case .truncated(let offset, _): issues.append(ELFIssue(table: table, problem: .notCaptured, offset: offset))
        case .malformed(_, let offset): issues.append(ELFIssue(table: table, problem: .malformed, offset: offset))
        default: issues.append(ELFIssue(table: table, problem: .malformed, offset: nil))
        }
    }
}

/// The dynamic string table, for names referenced by offset.
struct StringTable {
    let view: ByteView

    /// The string at `offset` in the table.
    func string(at offset: UInt64) throws(ELFError) -> String {
        guard let position = Int(exactly: offset), position < view.bytes.count else {
            throw .malformed(field: "string table offset", offset: view.base)
        }
        return String(decoding: try view.cString(view.base + position), as: UTF8.self)
    }

    /// The raw bytes of the string at `offset`.
    func bytes(at offset: UInt64) throws(ELFError) -> ArraySlice<UInt8> {
        guard let position = Int(exactly: offset), position < view.bytes.count else {
            throw .malformed(field: "string table offset", offset: view.base)
        }
        return try view.cString(view.base + position)
    }
}
