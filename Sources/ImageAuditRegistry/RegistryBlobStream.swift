import ImageAuditArchive
import NIOCore

/// A blob's bytes as the registry sends them, pulled by the reader one chunk at a time (nothing
/// goes to disk; the reader hashes them on the fly). When the connection breaks before `size`
/// bytes came, the rest is asked for again with `Range: bytes=N-`; a server that ignores the
/// range (200 instead of 206) is read again from the start with the first N bytes dropped.
final class RegistryBlobStream: ByteStream {
    private let fetch: (_ offset: Int64) throws(RegistryError) -> RegistryClient.Response
    private let size: Int64?
    private let what: String
    private let retries: Int
    private var response: RegistryClient.Response?
    private var delivered: Int64 = 0
    /// Bytes of a restarted response still to drop before `delivered` is reached again.
    private var toDrop: Int64 = 0
    private var resumes = 0
    private var finished = false
    private var current: ByteBuffer?

    init(
        what: String, size: Int64?, retries: Int,
        fetch: @escaping (_ offset: Int64) throws(RegistryError) -> RegistryClient.Response
    ) {
        self.what = what
        self.size = size
        self.retries = retries
        self.fetch = fetch
    }

    deinit { response?.body.cancel() }

    func nextBlock() throws(ArchiveError) -> UnsafeRawBufferPointer {
        while !finished {
            if response == nil {
                do throws(RegistryError) {
                    try open()
                } catch {
                    // The client retried the request already: trying it again here would
                    // multiply the waits (a registry that is gone must fail in bounded time).
                    throw failure(error)
                }
            }
            do throws(RegistryError) {
                guard let next = try response?.body.nextChunk() else {
                    // A clean end before the size the descriptor promised is a break too.
                    if let size, delivered < size { throw RegistryError("the body ended early", transient: true) }
                    finished = true
                    break
                }
                var chunk = next
                if toDrop > 0 {
                    let dropped = min(Int64(chunk.readableBytes), toDrop)
                    chunk.moveReaderIndex(forwardBy: Int(dropped))
                    toDrop -= dropped
                    if chunk.readableBytes == 0 { continue }
                }
                delivered += Int64(chunk.readableBytes)
                current = chunk
                return current!.withUnsafeReadableBytes { UnsafeRawBufferPointer($0) }
            } catch {
                response?.body.cancel()
                response = nil
                guard error.transient, resumes < retries else { throw failure(error) }
                resumes += 1
            }
        }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }

    private func failure(_ error: RegistryError) -> ArchiveError {
        ArchiveError("\(what): \(error.message)\(delivered > 0 ? " after \(delivered) bytes" : "")")
    }

    private func open() throws(RegistryError) {
        let response = try fetch(delivered)
        switch response.status {
        case 200:
            toDrop = delivered
        case 206 where delivered > 0:
            toDrop = 0
        default:
            throw RegistryClient.failure(response, what: what)
        }
        self.response = response
    }
}
