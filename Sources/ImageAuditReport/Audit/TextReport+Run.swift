import ImageAuditCheck

extension TextReport {
    /// A whole run: each image in input order, then each unreadable input (also on stderr).
    public func render(_ report: AuditReport) -> String {
        var out = render(report.results)
        for input in report.unreadable { out += unreadable(input) }
        return out
    }

    /// `UNREADABLE x.tar: truncated gzip input`, one line.
    public func unreadable(_ input: UnreadableInput) -> String {
        let message = input.message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return (color ? "\u{1b}[31mUNREADABLE\u{1b}[0m" : "UNREADABLE") + " \(input.source): \(message)\n"
    }
}
