internal import CLibArchive

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads a tar archive entry by entry from a ``ByteStream``, with libarchive's tar reader only
/// (ustar, pax, GNU, v7; no other format, no decompression: decompress with a ``Decompressor``
/// first, so the compressed and uncompressed bytes can both be hashed).
///
/// A `final class` owning its libarchive handle; not `Sendable`: one thread reads it.
public final class ArchiveReader {
    private let handle: LibArchiveHandle
    private var entryPointer: OpaquePointer?
    private var atEnd = false
    /// libarchive's warnings so far (e.g. a name it could not convert to the current locale:
    /// the raw bytes are kept anyway).
    public private(set) var warnings: [String] = []

    /// Reads the tar archive delivered by `stream`. When the stream is a
    /// ``SkippableByteStream``, entry data nobody reads is skipped, not read.
    /// The corresponding C function is `archive_read_open2`.
    public init(stream: any ByteStream) throws(ArchiveError) {
        handle = try LibArchiveHandle(reading: stream, as: .tar)
    }

    /// Reads the tar archive in the file at `path`, by `pread`; entry data nobody reads is
    /// skipped without being read (so walking the headers of a large tarball is cheap).
    public convenience init(path: String) throws(ArchiveError) {
        let file = try OpenFile(path: path)
        guard file.isRegularFile else {
            try self.init(stream: FileDescriptorStream(file: file))
            return
        }
        try self.init(stream: FileRangeStream(file: file, range: 0..<file.size, blockSize: 64 * 1024))
    }

    /// Moves to the next entry and returns its header; nil at the end of the archive. Unread
    /// data of the previous entry is skipped. The corresponding C function is
    /// `archive_read_next_header`.
    public func nextEntry() throws(ArchiveError) -> ArchiveEntry? {
        if atEnd { return nil }
        let pointer = handle.pointer
        var entry: OpaquePointer?
        guard
            try handle.call(
                "reading a tar header", retries: 0, warnings: &warnings, { archive_read_next_header(pointer, &entry) }),
            let entry
        else {
            atEnd = true
            entryPointer = nil
            return nil
        }
        entryPointer = entry
        return snapshot(entry, dataOffset: archive_filter_bytes(pointer, 0))
    }

    /// The next block of the current entry's data; nil at the end of the data. The bytes stay
    /// valid until the next call on this reader. `offset` is the position of the block within
    /// the entry (blocks of sparse entries skip the holes). The corresponding C function is
    /// `archive_read_data_block`.
    public func nextDataBlock() throws(ArchiveError) -> (offset: Int64, bytes: UnsafeRawBufferPointer)? {
        guard entryPointer != nil else { return nil }
        let pointer = handle.pointer
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        for _ in 0..<1024 {
            guard
                try handle.call(
                    "reading entry data", retries: 16, warnings: &warnings,
                    { archive_read_data_block(pointer, &block, &size, &offset) })
            else { return nil }
            if size > 0, let block { return (offset, UnsafeRawBufferPointer(start: block, count: size)) }
        }
        throw ArchiveError("the tar reader makes no progress")
    }

    /// Copies a libarchive entry into a Swift value right away (its strings die at the next header).
    private func snapshot(_ entry: OpaquePointer, dataOffset: Int64) -> ArchiveEntry {
        let hardlink = archive_entry_hardlink(entry).map(Self.bytes)
        let symlink = archive_entry_symlink(entry).map(Self.bytes)
        let kind: ArchiveEntry.Kind
        if hardlink != nil {
            kind = .hardlink
        } else {
            kind = Self.kind(UInt32(archive_entry_filetype(entry)))
        }
        let size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : 0
        return ArchiveEntry(
            pathBytes: archive_entry_pathname(entry).map(Self.bytes) ?? [],
            kind: kind,
            permissions: UInt32(archive_entry_perm(entry)) & 0o7777,
            uid: archive_entry_uid(entry),
            gid: archive_entry_gid(entry),
            size: max(0, size),
            linkTarget: kind == .hardlink ? hardlink : (kind == .symlink ? symlink ?? [] : nil),
            dataOffset: dataOffset)
    }

    private static func kind(_ type: UInt32) -> ArchiveEntry.Kind {
        switch type {
        case CLA_AE_IFREG: .regular
        case CLA_AE_IFDIR: .directory
        case CLA_AE_IFLNK: .symlink
        case CLA_AE_IFCHR: .characterDevice
        case CLA_AE_IFBLK: .blockDevice
        case CLA_AE_IFIFO: .fifo
        case CLA_AE_IFSOCK: .socket
        default: .unknown(type)
        }
    }

    /// The raw bytes of a C string (libarchive's `*_pathname` returns them unconverted when the
    /// locale cannot represent them; we never call `setlocale`).
    private static func bytes(_ string: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: string, count: strlen(string)))
    }
}

/// The data of the entry an ``ArchiveReader`` is on, as a ``ByteStream``: a layer stored inside
/// an outer tarball, read in the same pass (no temporary file). Holes of sparse entries come
/// out as zeros. Valid only while the reader stays on that entry.
public final class ArchiveEntryStream: ByteStream {
    private let reader: ArchiveReader
    private var position: Int64 = 0
    private var pendingBlock: (offset: Int64, bytes: UnsafeRawBufferPointer)?
    private var zeros: UnsafeMutableRawBufferPointer?

    /// The data of the entry `reader` is on now.
    public init(reader: ArchiveReader) {
        self.reader = reader
    }

    deinit { zeros?.deallocate() }

    public func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        let block: (offset: Int64, bytes: UnsafeRawBufferPointer)
        if let pendingBlock {
            block = pendingBlock
            self.pendingBlock = nil
        } else if let next = try reader.nextDataBlock() {
            block = next
        } else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        if block.offset > position {
            // A hole: deliver zeros up to the block, keep the block for the next call.
            pendingBlock = block
            let zeroBuffer = zeros ?? Self.zeroBuffer()
            zeros = zeroBuffer
            let count = Int(min(Int64(zeroBuffer.count), block.offset - position))
            position += Int64(count)
            return UnsafeRawBufferPointer(rebasing: zeroBuffer[0..<count])
        }
        position = block.offset + Int64(block.bytes.count)
        return block.bytes
    }

    private static func zeroBuffer() -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        return buffer
    }
}
