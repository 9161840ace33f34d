/// Edits of 64-bit little-endian ELF files for tests: header fields and program headers.
enum ELFPatch {
    enum Field: Int {
        case offset = 8
        case fileSize = 32
    }

    static func header<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, _ value: T) -> [UInt8] {
        var bytes = bytes
        withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<(offset + $0.count), with: $0) }
        return bytes
    }

    static func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    /// The file offset of the first program header of `type` (with `PF_X` when `executable`).
    static func programHeader(_ bytes: [UInt8], type: UInt32, executable: Bool = false) -> Int {
        let table = Int(u64(bytes, 32))
        let count = Int(bytes[56]) | Int(bytes[57]) << 8
        return (0..<count).map { table + $0 * 56 }.first { start in
            u32(bytes, start) == type && (!executable || u32(bytes, start + 4) & 1 != 0)
        }!
    }

    /// Sets a field of the first program header of type `segment` (1 PT_LOAD, 3 PT_INTERP).
    static func set(
        _ bytes: [UInt8], segment: UInt32, field: Field, _ value: UInt64, executable: Bool = false
    ) -> [UInt8] {
        let start = programHeader(bytes, type: segment, executable: executable)
        return header(bytes, at: start + field.rawValue, value)
    }

    /// Replaces the NUL that ends the `PT_INTERP` path.
    static func unterminateInterpreter(_ bytes: [UInt8]) -> [UInt8] {
        let start = programHeader(bytes, type: 3)
        var bytes = bytes
        bytes[Int(u64(bytes, start + 8) + u64(bytes, start + 32)) - 1] = UInt8(ascii: "x")
        return bytes
    }
}
