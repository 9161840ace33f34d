/// The stable identifiers of what the audit can find. Documented in `docs/findings.md`;
/// codes are never renamed, only added.
public enum FindingCode: String, Sendable, Hashable, Codable, CaseIterable {
    case noEntrypoint = "no-entrypoint"
    case entrypointNotFound = "entrypoint-not-found"
    case notExecutable = "not-executable"
    /// `User` names a user (or group) the image's `/etc/passwd` (`/etc/group`) lacks.
    case unknownUser = "unknown-user"
    case missingInterpreter = "missing-interpreter"
    case missingLibrary = "missing-library"
    case missingSymbolVersion = "missing-symbol-version"
    case missingSymbol = "missing-symbol"
    case wrongArchitecture = "wrong-architecture"
    case missingShebangInterpreter = "missing-shebang-interpreter"
    case healthcheckBroken = "healthcheck-broken"
    // Added by the audit model (see docs/findings.md).
    /// The file is neither ELF nor a `#!` script (or an unreadable ELF): `ENOEXEC`.
    case execFormatError = "exec-format-error"
    /// `#!` interpreters nest deeper than the kernel allows: `ELOOP`.
    case interpreterLoop = "interpreter-loop"
    /// A shared library or a separate debug-info file started as a program: SIGSEGV or ENOEXEC.
    case notAProgram = "not-a-program"
    /// An ELF file shorter than its program headers say: EIO, SIGSEGV or SIGBUS at start.
    case truncatedBinary = "truncated-binary"
    /// An ELF file the audit could not analyse (warning): its start is not judged.
    case binaryNotAnalysed = "binary-not-analysed"
    /// An ELF file whose dynamic tables the reader could not read in full (warning): what it
    /// needs is not known, so its start is not judged.
    case elfIncompletelyRead = "elf-incompletely-read"
    // After the first exec: shells, scripts, wrappers and interpreters (see docs/start-path.md).
    /// A shell or wrapper (tini, env) on the start path does not find the command it is to run.
    case commandNotFound = "command-not-found"
    /// An interpreter is given a file (`python3 FILE`, `sh FILE`) that does not exist or may not be read.
    case scriptFileMissing = "script-file-missing"
    /// A shell on the start path stops with an error of its own (syntax, `set -u`, `${X:?}`, `exit N`).
    case shellError = "shell-error"
    /// What a program on the start path does next cannot be judged statically (warning; never a pass).
    case notJudged = "not-judged"
    /// A Python extension module (or a library it needs) that `dlopen` from its interpreter
    /// cannot load: `import` raises `ImportError` (error when the start imports it).
    case moduleWillNotLoad = "module-will-not-load"
}

/// How bad a finding is: errors stop the container from starting, warnings do not.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}
