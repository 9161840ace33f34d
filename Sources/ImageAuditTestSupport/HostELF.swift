import Foundation
import ImageAuditELF

/// Reads ELF files from this machine's disk the way the layer reader reads them from a layer:
/// the first ``ELFFile/probeLength`` bytes, then only the ranges ``ELFFile/rangesToCapture(prefix:fileSize:)`` and
/// ``ELFFile/dynamicTableRanges(prefix:dynamic:fileSize:)`` ask for.
public enum HostELF {
    /// What was read from one file.
    public struct Capture: Sendable {
        public let file: Result<ELFFile, ELFError>
        public let keptBytes: Int
        public let fileSize: Int
    }

    /// Parses only the first ``ELFFile/probeLength`` bytes (headers and interpreter), or nil.
    public static func readPrefix(_ path: String) -> ELFFile? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: ELFFile.probeLength) else { return nil }
        return try? ELFFile(parsing: [UInt8](data))
    }

    /// Parses the file at `path` from its captured ranges; nil when it does not start with `\x7fELF`.
    public static func read(_ path: String) -> Capture? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), let fileSize = Int(exactly: size) else { return nil }
        guard (try? handle.seek(toOffset: 0)) != nil,
            let prefixData = try? handle.read(upToCount: ELFFile.probeLength)
        else { return nil }
        let prefix = [UInt8](prefixData)
        guard prefix.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return nil }
        func read(_ range: Range<Int>) -> [UInt8]? {
            guard (try? handle.seek(toOffset: UInt64(range.lowerBound))) != nil,
                let data = try? handle.read(upToCount: range.count)
            else { return nil }
            return [UInt8](data)
        }
        var ranges = ELFFile.rangesToCapture(prefix: prefix, fileSize: fileSize)
        // What the layer reader adds once PT_DYNAMIC is in: the tables it points to.
        if let dynamic = ELFFile.dynamicRange(prefix: prefix, fileSize: fileSize), let bytes = read(dynamic) {
            ranges += ELFFile.dynamicTableRanges(prefix: prefix, dynamic: bytes[...], fileSize: fileSize)
        }
        var chunks: [(offset: Int, bytes: [UInt8])] = []
        for range in ranges {
            if let bytes = read(range) { chunks.append((range.lowerBound, bytes)) }
        }
        let sparse = SparseBytes(size: fileSize, chunks: chunks)
        return Capture(
            file: Result { () throws(ELFError) in try ELFFile(parsing: sparse) }, keptBytes: sparse.keptByteCount,
            fileSize: fileSize)
    }
}
