import ImageAuditELF

/// `/etc/ld.so.cache` as glibc reads it (`elf/dl-cache.c`): the old `ld.so-1.7.0` format, the new
/// `glibc-ld.so.cache1.1` format, or the old with the new appended. Only the new part is used when
/// present, as glibc does.
public struct LDSOCache: Sendable {
    /// One library entry.
    public struct Entry: Sendable, Hashable {
        /// `FLAG_ELF_LIBC6` (3) plus the ABI in bits 8–15.
        public let flags: Int32
        /// The library name (`libc.so.6`).
        public let name: String
        /// Where it is (`/lib/x86_64-linux-gnu/libc.so.6`).
        public let path: String
        /// The raw `hwcap` field (new format only).
        public let hwcap: UInt64
        /// For `glibc-hwcaps` entries: the subdirectory name (`x86-64-v3`).
        public let hwcapsSubdirectory: String?
    }

    /// Why a cache could not be used.
    public enum Problem: Error, Sendable, Hashable {
        case unknownFormat
        case truncated
        case wrongByteOrder
    }

    public let entries: [Entry]
    /// Which format the entries came from.
    public let format: String
    /// Entry positions by name, digit runs normalized (see ``libraryNamesEqual(_:_:)``), in file order.
    private let index: [String: [Int]]

    /// `DL_CACHE_HWCAP_EXTENSION`: the low 32 bits index the glibc-hwcaps name table.
    static let hwcapExtension: UInt64 = 1 << 62
    /// `_DL_HWCAP_TLS_MASK`: accepted with any CPU.
    static let hwcapTLS: UInt64 = 1 << 63

    /// Parses the cache; `bigEndian` is the image's byte order, used when the file does not say.
    public init(parsing bytes: [UInt8], bigEndian: Bool = false) throws(Problem) {
        let (entries, format) = try Self.parse(bytes, bigEndian: bigEndian)
        self.entries = entries
        self.format = format
        var index: [String: [Int]] = [:]
        for (position, entry) in entries.enumerated() {
            index[Self.normalized(entry.name), default: []].append(position)
        }
        self.index = index
    }

    private static func parse(_ bytes: [UInt8], bigEndian: Bool) throws(Problem) -> ([Entry], String) {
        let newMagic = Array("glibc-ld.so.cache1.1".utf8)
        let oldMagic = Array("ld.so-1.7.0".utf8)
        if bytes.starts(with: newMagic) {
            return (try parseNew(bytes, at: 0, bigEndian: bigEndian), "glibc-ld.so.cache1.1")
        }
        guard bytes.starts(with: oldMagic) else { throw .unknownFormat }
        let reader = Reader(bytes: bytes, bigEndian: bigEndian)
        guard let count = reader.u32(12).map(Int.init), let oldEnd = Checked.end(16, count, 12), oldEnd <= bytes.count
        else {
            throw .truncated
        }
        let newStart = (oldEnd + 7) / 8 * 8
        if newStart + newMagic.count <= bytes.count,
            bytes[newStart..<(newStart + newMagic.count)].elementsEqual(newMagic)
        {
            return (try parseNew(bytes, at: newStart, bigEndian: bigEndian), "ld.so-1.7.0 with glibc-ld.so.cache1.1")
        }
        var entries: [Entry] = []
        for index in 0..<count {
            let start = 16 + index * 12
            guard let flags = reader.u32(start), let key = reader.u32(start + 4), let value = reader.u32(start + 8),
                let name = reader.string(oldEnd, Int(key)), let path = reader.string(oldEnd, Int(value))
            else { continue }
            entries.append(
                Entry(flags: Int32(bitPattern: flags), name: name, path: path, hwcap: 0, hwcapsSubdirectory: nil))
        }
        return (entries, "ld.so-1.7.0")
    }

    private static func parseNew(_ bytes: [UInt8], at base: Int, bigEndian: Bool) throws(Problem) -> [Entry] {
        guard base + 48 <= bytes.count else { throw .truncated }
        // flags & 3: 2 little-endian, 3 big-endian, 0 unknown, 1 invalid.
        let endian = bytes[base + 28] & 3
        if endian == 1 { throw .wrongByteOrder }
        let reader = Reader(bytes: bytes, bigEndian: endian == 0 ? bigEndian : endian == 3)
        guard let count = reader.u32(base + 20).map(Int.init), let end = Checked.end(base + 48, count, 24),
            end <= bytes.count
        else { throw .truncated }
        let hwcapNames = extensionHWCapNames(reader, base: base)
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let start = base + 48 + index * 24
            guard let flags = reader.u32(start), let key = reader.u32(start + 4), let value = reader.u32(start + 8),
                let hwcap = reader.u64(start + 16), let name = reader.string(base, Int(key)),
                let path = reader.string(base, Int(value))
            else { continue }
            let named = (hwcap >> 32) & ~UInt64(0x3ff) == hwcapExtension >> 32
            let subdirectory = named ? hwcapNames[Int(truncatingIfNeeded: hwcap & 0xffff_ffff)] : nil
            entries.append(
                Entry(
                    flags: Int32(bitPattern: flags), name: name, path: path, hwcap: hwcap,
                    hwcapsSubdirectory: subdirectory))
        }
        return entries
    }

    /// The `cache_extension_tag_glibc_hwcaps` section: index → subdirectory name.
    private static func extensionHWCapNames(_ reader: Reader, base: Int) -> [Int: String] {
        guard let offset = reader.u32(base + 32).map(Int.init), offset != 0, offset % 4 == 0,
            reader.u32(offset) == 0xeaa4_2174, let count = reader.u32(offset + 4), count < 1024
        else { return [:] }
        var names: [Int: String] = [:]
        for index in 0..<Int(count) {
            let section = offset + 8 + index * 16
            guard reader.u32(section) == 1, let start = reader.u32(section + 8), let size = reader.u32(section + 12),
                size % 4 == 0, size < 1 << 16
            else { continue }
            for k in 0..<Int(size / 4) {
                if let string = reader.u32(Int(start) + 4 * k), let name = reader.string(0, Int(string)) {
                    names[k] = name
                }
            }
        }
        return names
    }

    /// The path glibc takes for `name` (`search_cache`): among the entries of that name whose flags
    /// fit the ABI, the best supported glibc-hwcaps entry (they come first), else the first plain
    /// entry. Entries for legacy hardware capabilities are skipped: they depend on the CPU.
    /// - Parameter hwcaps: the glibc-hwcaps subdirectories the CPU supports, best first.
    public func lookup(_ name: String, platform: ELFPlatform, hwcaps: [String]) -> Entry? {
        let (accepted, exact) = platform.cacheFlags
        var best: Entry?
        var bestPriority = Int.max
        for position in index[Self.normalized(name)] ?? [] where accepted.contains(entries[position].flags) {
            let entry = entries[position]
            if let subdirectory = entry.hwcapsSubdirectory {
                guard let priority = hwcaps.firstIndex(of: subdirectory), priority < bestPriority else { continue }
                bestPriority = priority
                best = entry
                continue
            }
            if best != nil { break }
            if entry.hwcap & ~Self.hwcapTLS != 0 { continue }
            best = entry
            if entry.flags == exact { break }
        }
        return best
    }

    /// The name with leading zeros dropped from each run of digits: names equal under
    /// `_dl_cache_libcmp` (digit runs compare by value, `libfoo.so.01` = `libfoo.so.1`) normalize alike.
    static func normalized(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 == 48 }) else { return name }
        var result: [UInt8] = []
        var previousDigit = false
        let bytes = Array(name.utf8)
        for (position, byte) in bytes.enumerated() {
            let isDigit = byte >= 48 && byte <= 57
            let nextIsDigit = position + 1 < bytes.count && bytes[position + 1] >= 48 && bytes[position + 1] <= 57
            if byte == 48 && !previousDigit && nextIsDigit { continue }  // a leading zero of a run
            result.append(byte)
            previousDigit = isDigit
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Bounds-checked reads; nil outside the file.
    private struct Reader {
        let bytes: [UInt8]
        let bigEndian: Bool

        func u32(_ offset: Int) -> UInt32? { read(offset, 4).map { UInt32(truncatingIfNeeded: $0) } }
        func u64(_ offset: Int) -> UInt64? { read(offset, 8) }

        private func read(_ offset: Int, _ width: Int) -> UInt64? {
            guard offset >= 0, offset <= bytes.count - width else { return nil }
            var value: UInt64 = 0
            for k in 0..<width { value = value << 8 | UInt64(bytes[offset + (bigEndian ? k : width - 1 - k)]) }
            return value
        }

        /// The NUL-terminated string at `base + offset`.
        func string(_ base: Int, _ offset: Int) -> String? {
            let start = base + offset
            guard start >= 0, start < bytes.count, let end = bytes[start...].firstIndex(of: 0) else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    private enum Checked {
        static func end(_ start: Int, _ count: Int, _ size: Int) -> Int? {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            let (sum, overflow2) = start.addingReportingOverflow(product)
            return overflow2 ? nil : sum
        }
    }
}
