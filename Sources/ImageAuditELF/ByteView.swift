/// Bounds-checked, endian-aware reads from a block of file bytes. Every read names the file offset
/// it wanted, and a read outside the block throws ``ELFError/truncated(offset:length:)``.
struct ByteView {
    /// The file offset of the first byte of `bytes`.
    let base: Int
    let bytes: ArraySlice<UInt8>
    let bigEndian: Bool

    var end: Int { base + bytes.count }

    func contains(_ offset: Int, length: Int) -> Bool {
        offset >= base && length >= 0 && offset <= end && length <= end - offset
    }

    private func index(_ offset: Int, _ length: Int) throws(ELFError) -> Int {
        guard contains(offset, length: length) else { throw .truncated(offset: offset, length: length) }
        return bytes.startIndex + (offset - base)
    }

    func u8(_ offset: Int) throws(ELFError) -> UInt8 {
        bytes[try index(offset, 1)]
    }

    func u16(_ offset: Int) throws(ELFError) -> UInt16 { UInt16(truncatingIfNeeded: try unsigned(offset, width: 2)) }
    func u32(_ offset: Int) throws(ELFError) -> UInt32 { UInt32(truncatingIfNeeded: try unsigned(offset, width: 4)) }
    func u64(_ offset: Int) throws(ELFError) -> UInt64 { try unsigned(offset, width: 8) }

    /// An unsigned integer of `width` bytes at `offset`, in the file's byte order. Not generic:
    /// debug builds (the test suite) would run it unspecialized.
    private func unsigned(_ offset: Int, width: Int) throws(ELFError) -> UInt64 {
        let i = try index(offset, width)
        var value: UInt64 = 0
        var k = 0
        while k < width {
            value = value << 8 | UInt64(bytes[bigEndian ? i + k : i + width - 1 - k])
            k += 1
        }
        return value
    }

    /// A 32- or 64-bit word, by ELF class.
    func word(_ offset: Int, is64: Bool) throws(ELFError) -> UInt64 {
        is64 ? try u64(offset) : UInt64(try u32(offset))
    }

    /// The NUL-terminated bytes starting at `offset`, within this block.
    func cString(_ offset: Int) throws(ELFError) -> ArraySlice<UInt8> {
        let start = try index(offset, 0)
        guard start < bytes.endIndex, let nul = bytes[start...].firstIndex(of: 0) else {
            throw .malformed(field: "unterminated string", offset: offset)
        }
        return bytes[start..<nul]
    }
}

/// Checked conversions and arithmetic on values read from a file.
enum Checked {
    /// `value` as an `Int`, or a ``ELFError/malformed(field:offset:)`` naming `field`.
    static func int(_ value: UInt64, _ field: String, at offset: Int) throws(ELFError) -> Int {
        guard let result = Int(exactly: value) else { throw .malformed(field: field, offset: offset) }
        return result
    }

    /// `offset ..< offset + length` when it neither overflows nor goes negative.
    static func range(_ offset: UInt64, _ length: UInt64, _ field: String, at position: Int) throws(ELFError)
        -> Range<Int>
    {
        let start = try int(offset, field, at: position)
        let count = try int(length, field, at: position)
        let (end, overflow) = start.addingReportingOverflow(count)
        guard !overflow else { throw .malformed(field: field, offset: position) }
        return start..<end
    }

    /// `a * b` as an `Int`, or nil when it overflows.
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow || result < 0 ? nil : result
    }
}
