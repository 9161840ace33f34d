/// A small tar writer for test fixtures: ustar headers, with pax or GNU long-name records when a
/// name does not fit. Output is deterministic (mtime 0 unless given).
public struct TarWriter {
    /// How names longer than the ustar fields are written.
    public enum LongNames: Sendable {
        /// A pax extended header (`x`) with a `path=` / `linkpath=` record.
        case pax
        /// A GNU `././@LongLink` entry (`L` / `K`).
        case gnu
    }

    /// What an entry is.
    public enum Kind: Sendable {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardlink(String)
        case characterDevice(major: Int, minor: Int)
        case blockDevice(major: Int, minor: Int)
        case fifo
        /// A raw typeflag with a payload, for hostile fixtures.
        case raw(typeflag: UInt8, data: [UInt8])
    }

    public private(set) var bytes: [UInt8] = []
    public var longNames: LongNames

    public init(longNames: LongNames = .pax) {
        self.longNames = longNames
    }

    /// Adds an entry named by a Swift string.
    public mutating func add(
        _ name: String, _ kind: Kind, mode: Int? = nil, uid: Int = 0, gid: Int = 0, mtime: Int = 0,
        size: Int? = nil
    ) {
        add(name: Array(name.utf8), kind, mode: mode, uid: uid, gid: gid, mtime: mtime, size: size)
    }

    /// Adds an entry with a raw byte name. `size` overrides the header size (for lying headers).
    public mutating func add(
        name: [UInt8], _ kind: Kind, mode: Int? = nil, uid: Int = 0, gid: Int = 0, mtime: Int = 0,
        size: Int? = nil
    ) {
        var typeflag: UInt8
        var data: [UInt8] = []
        var linkName: [UInt8] = []
        var major = 0
        var minor = 0
        switch kind {
        case .file(let contents):
            typeflag = UInt8(ascii: "0")
            data = contents
        case .directory: typeflag = UInt8(ascii: "5")
        case .symlink(let target):
            typeflag = UInt8(ascii: "2")
            linkName = Array(target.utf8)
        case .hardlink(let target):
            typeflag = UInt8(ascii: "1")
            linkName = Array(target.utf8)
        case .characterDevice(let ma, let mi):
            typeflag = UInt8(ascii: "3")
            (major, minor) = (ma, mi)
        case .blockDevice(let ma, let mi):
            typeflag = UInt8(ascii: "4")
            (major, minor) = (ma, mi)
        case .fifo: typeflag = UInt8(ascii: "6")
        case .raw(let flag, let payload):
            typeflag = flag
            data = payload
        }
        let defaultMode = typeflag == UInt8(ascii: "5") ? 0o755 : (typeflag == UInt8(ascii: "2") ? 0o777 : 0o644)
        var headerName = name
        var headerLink = linkName
        let needsLongName = name.count > 100 || name.contains(where: { $0 >= 0x80 })
        let needsLongLink = linkName.count > 100
        if needsLongName || needsLongLink {
            switch longNames {
            case .pax:
                var records: [UInt8] = []
                if needsLongName { records += Self.paxRecord("path", name) }
                if needsLongLink { records += Self.paxRecord("linkpath", linkName) }
                appendEntry(
                    name: Array("PaxHeaders/entry".utf8), typeflag: UInt8(ascii: "x"), data: records, size: nil)
            case .gnu:
                if needsLongLink {
                    appendEntry(
                        name: Array("././@LongLink".utf8), typeflag: UInt8(ascii: "K"), data: linkName + [0],
                        size: nil)
                }
                if needsLongName {
                    appendEntry(
                        name: Array("././@LongLink".utf8), typeflag: UInt8(ascii: "L"), data: name + [0],
                        size: nil)
                }
            }
            if needsLongName { headerName = Array(name.prefix(100)) }
            if needsLongLink { headerLink = Array(linkName.prefix(100)) }
        }
        appendEntry(
            name: headerName, typeflag: typeflag, data: data, size: size, mode: mode ?? defaultMode, uid: uid,
            gid: gid, mtime: mtime, linkName: headerLink, major: major, minor: minor)
    }

    /// The archive with its end-of-archive marker (two zero blocks).
    public func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 1024)
    }

    /// Appends raw bytes, for truncated or hostile fixtures.
    public mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
    }

    private mutating func appendEntry(
        name: [UInt8], typeflag: UInt8, data: [UInt8], size: Int?, mode: Int = 0o644, uid: Int = 0,
        gid: Int = 0, mtime: Int = 0, linkName: [UInt8] = [], major: Int = 0, minor: Int = 0
    ) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int, width: Int) {
            for (index, byte) in field.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            // Built by hand: String(format:) races in corelibs Foundation under parallel tests.
            var digits = Array(String(value, radix: 8).utf8)
            while digits.count < width - 1 { digits.insert(UInt8(ascii: "0"), at: 0) }
            return digits + [0]
        }
        put(name, at: 0, width: 100)
        put(octal(mode, width: 8), at: 100, width: 8)
        put(octal(uid, width: 8), at: 108, width: 8)
        put(octal(gid, width: 8), at: 116, width: 8)
        put(octal(size ?? data.count, width: 12), at: 124, width: 12)
        put(octal(mtime, width: 12), at: 136, width: 12)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148, width: 8)
        header[156] = typeflag
        put(linkName, at: 157, width: 100)
        put(Array("ustar\u{0}00".utf8), at: 257, width: 8)
        put(octal(major, width: 8), at: 329, width: 8)
        put(octal(minor, width: 8), at: 337, width: 8)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7) + [UInt8(ascii: " ")], at: 148, width: 8)
        bytes += header
        bytes += data
        let padding = (512 - data.count % 512) % 512
        bytes += [UInt8](repeating: 0, count: padding)
    }

    /// A pax record `LEN key=value\n`, where LEN counts itself.
    public static func paxRecord(_ key: String, _ value: [UInt8]) -> [UInt8] {
        let body = Array(" \(key)=".utf8) + value + [UInt8(ascii: "\n")]
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length += 1 }
        return Array(String(length).utf8) + body
    }
}
