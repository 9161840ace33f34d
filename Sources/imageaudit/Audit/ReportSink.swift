import Foundation

/// Where one report goes: standard output or a file opened before anything is read. Every
/// write is checked (a full disk, a closed pipe): the first failure is kept, later writes are
/// skipped, and the run ends with a one-line error and status 2.
final class ReportSink: @unchecked Sendable {
    /// `stdout` or the path, for messages.
    let name: String
    private let descriptor: Int32
    private(set) var failure: String?

    private init(name: String, descriptor: Int32) {
        self.name = name
        self.descriptor = descriptor
    }

    static func standardOutput() -> ReportSink { ReportSink(name: "standard output", descriptor: STDOUT_FILENO) }

    /// Creates (or truncates) the file; the error's words when it cannot be.
    static func file(_ path: String) -> Result<ReportSink, SinkError> {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return .failure(SinkError(path: path, message: "cannot write the report: " + errnoText()))
        }
        return .success(ReportSink(name: path, descriptor: descriptor))
    }

    func write(_ text: String) {
        guard failure == nil, !text.isEmpty else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = "cannot write the report: " + Self.errnoText()
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Flushes to the device and closes a file (a full disk may show only here); stdout stays open.
    func finish() {
        guard descriptor != STDOUT_FILENO else { return }
        if failure == nil && fsync(descriptor) != 0 && errno != EINVAL && errno != EROFS {
            failure = "cannot write the report: " + Self.errnoText()
        }
        if close(descriptor) != 0 && failure == nil { failure = "cannot write the report: " + Self.errnoText() }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

struct SinkError: Error {
    var path: String
    var message: String
}
