import Foundation

extension Console {
    /// `warning: problem`, one line on standard error (the run goes on).
    static func warning(_ message: String) {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        try? FileHandle.standardError.write(contentsOf: Data("warning: \(oneLine)\n".utf8))
    }
}
