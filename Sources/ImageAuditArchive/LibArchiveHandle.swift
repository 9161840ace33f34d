internal import CLibArchive

/// Owns one `struct archive *` set up for reading from a ``ByteStream`` through libarchive's
/// client callbacks, and turns libarchive's status codes into Swift errors.
///
/// Rules kept here (style.md §9): formats and filters are enabled one by one, never `_all`;
/// the handle is freed only in `deinit` (a throwing initializer runs `deinit` too); the
/// stream's errors travel back through ``CallbackContext`` because a C callback cannot throw.
final class LibArchiveHandle {
    let pointer: OpaquePointer
    private let context: CallbackContext

    /// What libarchive must be able to read.
    enum Setup {
        /// Tar (ustar, pax, GNU, v7) with no decompression.
        case tar
        /// The `raw` format behind one decompression filter: a plain decompressor.
        case decompress(Compression)
    }

    init(reading stream: any ByteStream, as setup: Setup) throws(ArchiveError) {
        guard let pointer = archive_read_new() else { throw ArchiveError("out of memory") }
        self.pointer = pointer
        context = CallbackContext(stream: stream)
        switch setup {
        case .tar:
            try check(archive_read_support_format_tar(pointer), "tar support")
        case .decompress(let compression):
            try check(archive_read_support_format_raw(pointer), "raw support")
            try Self.enableFilter(compression, on: pointer)
        }
        let client = Unmanaged.passUnretained(context).toOpaque()
        let skipper: (@convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, la_int64_t) -> la_int64_t)? =
            stream is any SkippableByteStream ? libArchiveSkipCallback : nil
        let status = archive_read_open2(pointer, client, nil, libArchiveReadCallback, skipper, nil)
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN else { throw error(fallback: "cannot open the stream") }
    }

    deinit { archive_read_free(pointer) }

    /// A filter that is native in this libarchive build returns `ARCHIVE_OK`; one that would
    /// fork an external program returns `ARCHIVE_WARN`, which we refuse.
    private static func enableFilter(_ compression: Compression, on pointer: OpaquePointer) throws(ArchiveError) {
        let status: Int32
        switch compression {
        case .none: status = archive_read_support_filter_none(pointer)
        case .gzip: status = archive_read_support_filter_gzip(pointer)
        case .zstd: status = archive_read_support_filter_zstd(pointer)
        case .xz: status = archive_read_support_filter_xz(pointer)
        case .bzip2: status = archive_read_support_filter_bzip2(pointer)
        }
        guard status == ARCHIVE_OK else {
            throw ArchiveError("this libarchive cannot decompress \(compression.rawValue) in-process")
        }
    }

    private func check(_ status: Int32, _ what: String) throws(ArchiveError) {
        guard status == ARCHIVE_OK else { throw error(fallback: "libarchive lacks \(what)") }
    }

    /// The error behind the last failure: the stream's own error when a callback failed,
    /// otherwise libarchive's message.
    func error(fallback: String) -> ArchiveError {
        if let streamError = context.error { return streamError }
        let text = archive_error_string(pointer).map { String(cString: $0) }
        return ArchiveError.fromLibArchive(text, fallback: fallback)
    }

    /// The current libarchive message, if any (for warnings).
    var message: String? { archive_error_string(pointer).map { String(cString: $0) } }

    /// Calls a libarchive read function. Returns `true` for data (OK or WARN), `false` at the
    /// end, throws on failure. `ARCHIVE_RETRY` is retried up to `retries` times, then an error.
    ///
    /// The tar reader answers a header with a bad checksum with RETRY and, asked again, goes on
    /// with the next 512 bytes (verified with libarchive 3.6.2: it silently drops the entry and
    /// reads its data as headers). An image tarball with a damaged header is corrupt input, so
    /// headers are read with `retries: 0`.
    func call(
        _ what: String, retries: Int, warnings: inout [String], _ body: () -> Int32
    ) throws(ArchiveError)
        -> Bool
    {
        for _ in 0...max(0, retries) {
            let status = body()
            switch status {
            case ARCHIVE_OK: return true
            case ARCHIVE_EOF: return false
            case ARCHIVE_WARN:
                // Every UTF-8 pax name warns in the C locale: keep a few, not one per entry.
                if let message, warnings.count < 32 { warnings.append(message) }
                return true
            case ARCHIVE_RETRY: continue
            default: throw error(fallback: "\(what) failed")
            }
        }
        throw error(fallback: "\(what) failed")
    }
}

/// What libarchive's callbacks need: the stream, and a place for the error it threw.
final class CallbackContext {
    let stream: any ByteStream
    var error: ArchiveError?

    init(stream: any ByteStream) {
        self.stream = stream
    }
}

// The C callbacks. Their parameters are implicitly unwrapped pointers from C; libarchive always
// passes the client data given to `archive_read_open2`, so the force unwraps below cannot fail.
// This is the only file with `!` on such parameters.

private func libArchiveReadCallback(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?,
    _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
    let context = Unmanaged<CallbackContext>.fromOpaque(client!).takeUnretainedValue()
    do {
        let block = try context.stream.nextBlock()
        buffer!.pointee = block.baseAddress
        return block.count
    } catch {
        context.error = error
        return la_ssize_t(ARCHIVE_FATAL)
    }
}

private func libArchiveSkipCallback(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ request: la_int64_t
) -> la_int64_t {
    let context = Unmanaged<CallbackContext>.fromOpaque(client!).takeUnretainedValue()
    guard let stream = context.stream as? any SkippableByteStream else { return 0 }
    do {
        return try stream.skip(request)
    } catch {
        context.error = error
        return la_int64_t(ARCHIVE_FATAL)
    }
}
