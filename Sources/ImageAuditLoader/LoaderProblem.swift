/// Something the loader model found: an error that stops the program, or a warning.
public struct LoaderProblem: Sendable, Hashable, Codable {
    /// What kind of problem.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The `PT_INTERP` path does not exist in the image (execve: `ENOENT`).
        case interpreterMissing = "interpreter-missing"
        /// The interpreter exists but the kernel cannot use it (not ELF, other machine: `ELIBBAD`;
        /// not executable: `EACCES`).
        case interpreterUnusable = "interpreter-unusable"
        /// No file found for a `DT_NEEDED` name.
        case libraryNotFound = "library-not-found"
        /// Only files of the other ELF class were found (glibc: "wrong ELF class").
        case libraryWrongClass = "library-wrong-class"
        /// A file was found that stops the load (invalid ELF header, executable, PIE …).
        case libraryUnusable = "library-unusable"
        /// A `DT_VERNEED` version the providing library does not define.
        case versionNotFound = "version-not-found"
        /// A symbol no loaded object defines, looked up at start.
        case undefinedSymbol = "undefined-symbol"
        /// A symbol no loaded object defines, bound lazily: fails at the first call.
        case undefinedSymbolLazy = "undefined-symbol-lazy"
        /// An object whose machine or class does not fit the image platform.
        case wrongPlatform = "wrong-platform"
        /// A weak version requirement that is not met, or a provider without version information.
        case versionWarning = "version-warning"
        /// Some ELF table was not readable, so a check could not be made.
        case incomplete
        /// A loaded object's dynamic tables were not all read (not kept by the reader, or
        /// unreadable): its libraries, versions or symbols are not known, so nothing is concluded
        /// from them (see ``LoadState/checkCompleteness(displayName:)``).
        case notFullyRead = "not-fully-read"
    }

    public enum Severity: String, Sendable, Hashable, Codable {
        /// The program does not start.
        case fatal
        /// It starts but may fail later, or it depends on the machine it runs on.
        case warning
        case note
    }

    public let kind: Kind
    public let severity: Severity
    /// The object concerned (the requester of a library, the holder of a reference).
    public let object: String
    /// The library name, symbol or version concerned.
    public let subject: String
    /// What the loader prints (its exact wording, with the program name as `argv[0]`).
    public let message: String
    /// An explanation in the audit's words: what was searched, what is provided instead.
    public let detail: String

    public init(kind: Kind, severity: Severity, object: String, subject: String, message: String, detail: String) {
        self.kind = kind
        self.severity = severity
        self.object = object
        self.subject = subject
        self.message = message
        self.detail = detail
    }
}
