import ImageAuditELF
import ImageAuditFS
import ImageAuditOCI

/// What the audit needs to know about one ELF file, from the ELF reader.
public struct ELFFacts: Sendable, Hashable {
    /// `e_machine`.
    public var machine: UInt16
    public var is64Bit: Bool
    public var isLittleEndian: Bool
    /// `PT_INTERP`: the program interpreter (dynamic loader); nil for a static executable.
    public var interpreter: String?
    /// `DT_NEEDED`, in order.
    public var needed: [String]
    /// Go build information, when the file is a Go binary.
    public var go: GoBuild?
    /// Set when the kernel accepts the header and machine but still cannot run the file.
    public var kernelRefusal: KernelRefusal?

    public init(
        machine: UInt16, is64Bit: Bool, isLittleEndian: Bool = true, interpreter: String? = nil, needed: [String] = [],
        go: GoBuild? = nil, kernelRefusal: KernelRefusal? = nil
    ) {
        self.machine = machine
        self.is64Bit = is64Bit
        self.isLittleEndian = isLittleEndian
        self.interpreter = interpreter
        self.needed = needed
        self.go = go
        self.kernelRefusal = kernelRefusal
    }
}

/// What `go version -m` shows: the toolchain and whether cgo was on.
public struct GoBuild: Sendable, Hashable {
    public var goVersion: String
    /// `CGO_ENABLED` from the build settings; nil when not recorded.
    public var cgoEnabled: Bool?

    public init(goVersion: String, cgoEnabled: Bool?) {
        self.goVersion = goVersion
        self.cgoEnabled = cgoEnabled
    }
}

/// What the ELF reader says about a regular file's content.
public enum ELFInspection: Sendable, Hashable {
    /// No ELF magic.
    case notELF
    case facts(ELFFacts)
    /// ELF magic, but the kernel would refuse it (bad header): `ENOEXEC`.
    case malformed(String)
    /// ELF magic, but this build could not analyse it (the bytes were not captured): only for
    /// files the kernel would accept as far as they were read.
    case notAnalysed(String)
}

/// The dynamic loader's verdict for one program, from the loader model.
public struct LinkOutcome: Sendable, Hashable {
    /// Which loader ran the program.
    public var libc: LibC
    /// In the order the loader meets them; the first is what the user sees.
    public var problems: [LinkProblem]

    public init(libc: LibC, problems: [LinkProblem]) {
        self.libc = libc
        self.problems = problems
    }
}

/// One reason the loader stops (or, for lazily bound symbols, fails later).
public enum LinkProblem: Sendable, Hashable {
    /// A `DT_NEEDED` name found in no searched directory.
    case libraryNotFound(name: String, neededBy: String, searched: [String], message: String)
    /// A `DT_VERNEED` version the providing library does not define.
    case versionNotFound(
        version: String, library: String, libraryPath: String, requiredBy: String, provided: [String], message: String)
    /// An undefined symbol no loaded object defines; `atStartup` when bound before `main`
    /// (musl always, glibc with BIND_NOW or data references).
    case symbolNotFound(symbol: String, requiredBy: String, atStartup: Bool, message: String)
    /// The program interpreter exists but the kernel cannot use it (not ELF, another machine or
    /// class, not executable).
    case interpreterUnusable(interpreter: String, detail: String, message: String)
    /// A loaded object whose dynamic tables were not all read (`unread` says which): what it
    /// needs is not known, so the start is not judged. Does not stop the start.
    case incompletelyRead(object: String, unread: String)
}

/// The ELF reader and the loader model, as the audit uses them. One implementation bridges
/// `ImageAuditELF`/`ImageAuditLoader`; tests substitute their own.
public protocol ProgramLoading: Sendable {
    /// Reads a regular file's kept content.
    func inspect(_ content: FileContent?, at path: String) -> ELFInspection
    /// Runs the loader model for `program`, whose interpreter `interpreter` exists in the image.
    /// - Parameter argv0: the name the program is started under (glibc prefixes messages with it).
    func link(program: String, facts: ELFFacts, argv0: String, interpreter: String, context: LinkContext) -> LinkOutcome
}

/// Where and as whom the loader runs.
public struct LinkContext: Sendable {
    public var tree: FileTree
    /// The container environment, `KEY=VALUE` (LD_LIBRARY_PATH, LD_BIND_NOW).
    public var environment: [String]
    public var workingDirectory: String
    public var credentials: Credentials
    public var platform: Platform

    public init(
        tree: FileTree, environment: [String], workingDirectory: String, credentials: Credentials, platform: Platform
    ) {
        self.tree = tree
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.credentials = credentials
        self.platform = platform
    }
}
