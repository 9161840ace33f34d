import Foundation
import ImageAuditReport

/// The one-line progress of a bulk audit on standard error, redrawn in place; only when
/// standard error is a terminal (never in logs or pipes).
struct Progress {
    let total: Int
    let enabled: Bool
    private var done = 0
    private var failed = 0
    private var unreadable = 0

    init(total: Int) {
        self.total = total
        enabled = total > 1 && isatty(STDERR_FILENO) != 0
    }

    mutating func advance(failed newlyFailed: Int, unreadable newlyUnreadable: Int, last: String) {
        done += 1
        failed += newlyFailed
        unreadable += newlyUnreadable
        guard enabled else { return }
        let name = TerminalText.escaped(last.count > 48 ? "…" + last.suffix(47) : last)
        draw("[\(done)/\(total)] \(failed) failed, \(unreadable) unreadable  \(name)")
    }

    /// Clears the line before anything else is written below it.
    func clear() {
        guard enabled else { return }
        draw("")
    }

    private func draw(_ line: String) {
        // \r and "erase to end of line" (EL, ESC [ K).
        try? FileHandle.standardError.write(contentsOf: Data("\r\u{1b}[K\(line)".utf8))
    }
}
