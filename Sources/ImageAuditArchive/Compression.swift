internal import CLibArchive

/// How a blob or a tarball is compressed, as recognised from its first bytes.
public enum Compression: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case none
    case gzip
    case zstd
    case xz
    case bzip2

    /// How many leading bytes ``detect(_:)`` looks at.
    public static let magicLength = 6

    /// Recognises a compression from its magic number; `.none` when there is none (a plain tar,
    /// JSON, or anything else: the caller finds out). eStargz is gzip (several members).
    public static func detect(_ prefix: some Collection<UInt8>) -> Compression {
        let bytes = Array(prefix.prefix(magicLength))
        func starts(_ magic: [UInt8]) -> Bool { bytes.starts(with: magic) }
        if starts([0x1f, 0x8b]) { return .gzip }
        if starts([0x28, 0xb5, 0x2f, 0xfd]) { return .zstd }
        if starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return .xz }
        if starts([0x42, 0x5a, 0x68]) { return .bzip2 }
        return .none
    }

    public var description: String { rawValue }
}

/// Turns a compressed stream into its uncompressed bytes.
///
/// The read pipeline hashes the compressed bytes on their way in and the uncompressed bytes on
/// their way out, then hands the latter to a tar-only ``ArchiveReader``; any implementation
/// that streams fits (``LibArchiveDecompressor``, ``ISALDecompressor``).
public protocol Decompressor: Sendable {
    /// A stream of the uncompressed bytes of `source`, which is compressed with `compression`
    /// (never `.none`). Corrupt input makes the returned stream throw.
    func decompressing(
        _ source: any ByteStream, as compression: Compression
    ) throws(ArchiveError)
        -> any ByteStream
}

/// The decompressor to use unless told otherwise: ISA-L for gzip, libarchive for the rest.
public let defaultDecompressor: any Decompressor = ISALDecompressor()

/// libarchive's `raw` format behind exactly one of its native filters (gzip, zstd, xz, bzip2):
/// compressed bytes in, uncompressed blocks out. Concatenated gzip members (eStargz) and zstd
/// frames are read as one stream.
public struct LibArchiveDecompressor: Decompressor {
    /// The decompressor.
    public init() {}

    public func decompressing(
        _ source: any ByteStream, as compression: Compression
    ) throws(ArchiveError)
        -> any ByteStream
    {
        if compression == .none { return source }
        return try LibArchiveDecompressingStream(source, compression)
    }
}

/// The blocks of the single entry libarchive's `raw` format presents.
final class LibArchiveDecompressingStream: ByteStream {
    private let handle: LibArchiveHandle
    private let compression: Compression
    private var warnings: [String] = []
    private var ended = false

    init(_ source: any ByteStream, _ compression: Compression) throws(ArchiveError) {
        self.compression = compression
        handle = try LibArchiveHandle(reading: source, as: .decompress(compression))
        var entry: OpaquePointer?
        let pointer = handle.pointer
        guard
            try handle.call(
                "\(compression) header", retries: 0, warnings: &warnings, { archive_read_next_header(pointer, &entry) })
        else {
            ended = true
            return
        }
    }

    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let pointer = handle.pointer
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        // libarchive may hand out empty blocks; an empty buffer means the end to our callers.
        for _ in 0..<1024 where !ended {
            let hasData = try handle.call("\(compression) data", retries: 16, warnings: &warnings) {
                archive_read_data_block(pointer, &block, &size, &offset)
            }
            if !hasData { ended = true }
            if hasData, let block, size > 0 { return UnsafeRawBufferPointer(start: block, count: size) }
        }
        if !ended { throw ArchiveError("\(compression) decoder makes no progress") }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }
}
