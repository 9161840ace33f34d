import Foundation
import ImageAuditReport

/// Writing to standard output and standard error.
enum Console {
    static func out(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    }

    /// `error: FILE: problem`, one line on standard error. File names and messages may hold
    /// bytes from the input (a tarball's name, an entry's path): control characters are shown.
    static func error(file: String, _ message: String) {
        line("error", file: file, message)
    }

    /// `note: FILE: what`, one line on standard error: an input left out, not an error.
    static func note(file: String, _ message: String) {
        line("note", file: file, message)
    }

    private static func line(_ kind: String, file: String, _ message: String) {
        let text = "\(kind): \(TerminalText.escaped(file)): \(TerminalText.escaped(message))\n"
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

/// The exit codes of imageaudit (docs/exit-codes.md): 2 when a tarball could not be read;
/// usage errors exit 64 (ArgumentParser's `ValidationError`).
enum ExitCodes {
    static let unreadableInput: Int32 = 2
}
