/// `--fail-on`: which findings fail an image (`--strict` is `--fail-on warning`).
public enum FailOn: String, Sendable, CaseIterable, Codable {
    /// A finding of severity error fails the image (the default).
    case error
    /// Warnings fail too.
    case warning
    /// Images are judged as with `error`, but no verdict sets the exit status (report only).
    case never
}
