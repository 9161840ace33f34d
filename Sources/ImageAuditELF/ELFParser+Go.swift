extension ELFParser {
    /// `\xff Go buildinf:`, 16-byte aligned near the start of the data segment.
    static var goMagic: [UInt8] { [0xff] + Array(" Go buildinf:".utf8) }
    /// How far into the data segment `go version` looks (`debug/buildinfo`).
    static var goSearchLength: Int { 64 * 1024 }

    /// The Go build information, found like `debug/buildinfo` does without section headers: in
    /// the first writable, non-executable `PT_LOAD` segment.
    mutating func goBuildInfo(programHeaders: [ProgramHeader]) -> GoBuildInfo? {
        guard let data = programHeaders.first(where: { $0.isLoad && $0.isWritable && !$0.isExecutable }),
            let segment = data.fileRange(clampedTo: source.size), !segment.isEmpty
        else { return nil }
        let range = segment.lowerBound..<min(segment.upperBound, segment.lowerBound + Self.goSearchLength)
        guard let bytes = source.bytes(in: range) else { return nil }
        let magic = Self.goMagic
        var position = bytes.startIndex
        while position + 32 <= bytes.endIndex {
            if bytes[position..<(position + magic.count)].elementsEqual(magic) {
                let view = ByteView(base: range.lowerBound, bytes: bytes, bigEndian: false)
                return decodeGo(view, at: range.lowerBound + (position - bytes.startIndex))
            }
            position += 16
        }
        return nil
    }

    /// Decodes the header found at file offset `start`.
    private mutating func decodeGo(_ view: ByteView, at start: Int) -> GoBuildInfo? {
        do throws(ELFError) {
            let pointerSize = Int(try view.u8(start + 14))
            let flags = try view.u8(start + 15)
            if flags & 0x2 != 0 {
                // Go 1.18+: two varint-prefixed strings right after the 32-byte header.
                var offset = start + 32
                let version = try goBytes(view, at: &offset)
                let module = try goBytes(view, at: &offset)
                return GoBuildInfo(
                    goVersion: String(decoding: version, as: UTF8.self), moduleInfo: Self.stripSentinels(module))
            }
            // Before Go 1.18: pointers to the runtime's version and modinfo string headers.
            guard pointerSize == 4 || pointerSize == 8 else {
                throw .malformed(field: "Go pointer size", offset: start + 14)
            }
            let bigEndian = flags & 0x1 != 0
            let pointers = ByteView(base: view.base, bytes: view.bytes, bigEndian: bigEndian)
            let versionPointer = try pointers.word(start + 16, is64: pointerSize == 8)
            let modulePointer = try pointers.word(start + 16 + pointerSize, is64: pointerSize == 8)
            let version = stringHeader(at: versionPointer, pointerSize: pointerSize, bigEndian: bigEndian)
            let module = stringHeader(at: modulePointer, pointerSize: pointerSize, bigEndian: bigEndian) ?? []
            return GoBuildInfo(
                goVersion: version.map { String(decoding: $0, as: UTF8.self) }, moduleInfo: Self.stripSentinels(module))
        } catch {
            record(error, for: .goBuildInfo)
            return nil
        }
    }

    /// A uvarint length followed by that many bytes.
    private func goBytes(_ view: ByteView, at offset: inout Int) throws(ELFError) -> ArraySlice<UInt8> {
        var length: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try view.u8(offset)
            offset += 1
            guard shift < 64 else { throw .malformed(field: "Go varint", offset: offset) }
            length |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        guard let count = Int(exactly: length), view.contains(offset, length: count) else {
            throw .truncated(offset: offset, length: Int(clamping: length))
        }
        let start = view.bytes.startIndex + (offset - view.base)
        offset += count
        return view.bytes[start..<(start + count)]
    }

    /// Follows a Go string header (data pointer, length) at virtual `address`.
    private mutating func stringHeader(at address: UInt64, pointerSize: Int, bigEndian: Bool) -> ArraySlice<UInt8>? {
        guard let header = view(address: address, length: UInt64(2 * pointerSize), for: .goBuildInfo) else {
            return nil
        }
        let typed = ByteView(base: header.base, bytes: header.bytes, bigEndian: bigEndian)
        guard let data = try? typed.word(header.base, is64: pointerSize == 8),
            let length = try? typed.word(header.base + pointerSize, is64: pointerSize == 8), length <= 1 << 20
        else { return nil }
        guard length > 0 else { return [] }
        return view(address: data, length: length, for: .goBuildInfo)?.bytes
    }

    /// The linker wraps the module text in 16-byte sentinels; `debug/buildinfo` strips them.
    static func stripSentinels(_ module: ArraySlice<UInt8>) -> String {
        let bytes = Array(module)
        guard bytes.count >= 33, bytes[bytes.count - 17] == UInt8(ascii: "\n") else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes[16..<(bytes.count - 16)], as: UTF8.self)
    }
}
