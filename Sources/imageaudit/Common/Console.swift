import Foundation

/// Writing to standard output and standard error.
enum Console {
    static func out(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// `error: FILE: problem`, one line on standard error.
    static func error(file: String, _ message: String) {
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        try? FileHandle.standardError.write(contentsOf: Data("error: \(file): \(oneLine)\n".utf8))
    }
}

/// The exit codes of imageaudit (docs/exit-codes.md): 2 when a tarball could not be read;
/// usage errors exit 64 (ArgumentParser's `ValidationError`).
enum ExitCodes {
    static let unreadableInput: Int32 = 2
}
