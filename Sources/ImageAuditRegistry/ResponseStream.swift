import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP response handed from the client's event loop to a reading thread: the head, then
/// the body in the chunks the server sent, through a bounded buffer. When `capacity` bytes wait
/// unread the client stops reading the socket (the delegate's future stays pending) until the
/// reader has taken half of them, so a slow layer never fills memory.
final class ResponseStream: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Void

    private let condition = NSCondition()
    private var head: HTTPResponseHead?
    private var chunks: [ByteBuffer] = []
    private var first = 0
    private var buffered = 0
    private var ended = false
    private var failure: (any Error)?
    private var paused: EventLoopPromise<Void>?
    private let capacity: Int
    private var task: HTTPClient.Task<Void>?

    init(capacity: Int = 4 << 20) {
        self.capacity = capacity
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        condition.lock()
        self.head = head
        condition.broadcast()
        condition.unlock()
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        condition.lock()
        defer { condition.unlock() }
        chunks.append(buffer)
        buffered += buffer.readableBytes
        condition.broadcast()
        guard buffered >= capacity else { return task.eventLoop.makeSucceededVoidFuture() }
        let promise = task.eventLoop.makePromise(of: Void.self)
        paused = promise
        return promise.futureResult
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        condition.lock()
        failure = error
        ended = true
        let promise = paused
        paused = nil
        condition.broadcast()
        condition.unlock()
        promise?.succeed(())
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// Keeps the request's task, to cancel it when the body is not wanted.
    func attach(_ task: HTTPClient.Task<Void>) {
        condition.lock()
        self.task = task
        condition.unlock()
    }

    /// Stops the request: a body nobody reads would otherwise hold its connection paused.
    func cancel() {
        condition.lock()
        let task = ended ? nil : self.task
        let promise = paused
        paused = nil
        condition.unlock()
        task?.cancel()
        promise?.succeed(())
    }

    /// The response head, once it came; the error when the request failed first.
    func waitForHead() throws(RegistryError) -> HTTPResponseHead {
        condition.lock()
        defer { condition.unlock() }
        while head == nil && !ended { condition.wait() }
        if let head { return head }
        throw Self.describe(failure)
    }

    /// The next chunk of the body; nil at its end. Throws when the connection failed mid-body.
    func nextChunk() throws(RegistryError) -> ByteBuffer? {
        condition.lock()
        while first == chunks.count && !ended { condition.wait() }
        guard first < chunks.count else {
            let failure = self.failure
            condition.unlock()
            if let failure { throw Self.describe(failure) }
            return nil
        }
        let chunk = chunks[first]
        first += 1
        if first > 64 {
            chunks.removeFirst(first)
            first = 0
        }
        buffered -= chunk.readableBytes
        var resume: EventLoopPromise<Void>?
        if buffered <= capacity / 2, let promise = paused {
            resume = promise
            paused = nil
        }
        condition.unlock()
        resume?.succeed(())
        return chunk
    }

    /// The whole body, refused past `limit` bytes.
    func body(limit: Int) throws(RegistryError) -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try nextChunk() {
            guard chunk.readableBytes <= limit - bytes.count else {
                throw RegistryError("the response is larger than the \(limit) bytes allowed")
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// What a failed request tells the user, without the URL's query (which may carry a signature).
    static func describe(_ error: (any Error)?) -> RegistryError {
        guard let error else { return RegistryError("the connection closed without a response", transient: true) }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return RegistryError("connection timed out", transient: true)
            case .readTimeout: return RegistryError("read timed out", transient: true)
            case .remoteConnectionClosed: return RegistryError("the server closed the connection", transient: true)
            case .deadlineExceeded: return RegistryError("deadline exceeded", transient: true)
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("CERTIFICATE") || text.contains("certificate") {
            var error = RegistryError(
                "TLS: the server's certificate is not trusted (\(Self.short(text))); give --cert-dir DIR, SSL_CERT_FILE, or --tls-verify=false"
            )
            error.untrustedCertificate = true
            return error
        }
        if text.contains("handshake") || text.contains("WRONG_VERSION_NUMBER") {
            return RegistryError(
                "TLS handshake failed (\(Self.short(text))); if the registry speaks plain HTTP, give --plain-http")
        }
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return RegistryError("connection refused", transient: true)
        }
        return RegistryError(Self.short(text), transient: true)
    }

    private static func short(_ text: String) -> String {
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
