import ImageAuditELF

/// Which dynamic loader model ran.
public enum LoaderKind: String, Sendable, Hashable, Codable {
    case glibc
    case musl
    /// No `PT_INTERP`: the kernel starts the program directly (static, static-pie).
    case none
}

/// An object in the process, in load order (index 0 is the program).
public struct LoadedObject: Sendable, Hashable, Codable {
    /// The path as the loader names it (`l_name`: how it was opened, symlinks not resolved).
    public let path: String
    /// Where that path leads in the image, symlinks resolved.
    public let resolvedPath: String
    /// The names it was asked for (`DT_NEEDED` strings), first one first.
    public internal(set) var names: [String]
    public let soname: String?
    /// Which object's `DT_NEEDED` loaded it first (nil for the program and the interpreter).
    public let loadedBy: Int?
    /// How it was found (nil for the program and the interpreter).
    public let rule: SearchRule?
    public let platform: ELFPlatform
    public let isInterpreter: Bool
}

/// One `DT_NEEDED` entry of one object, and what became of it.
public struct Dependency: Sendable, Hashable, Codable {
    /// How it ended.
    public enum Outcome: Sendable, Hashable, Codable {
        /// Loaded for the first time: object index.
        case loaded(Int)
        /// An object already in the process answered (same name, SONAME or file).
        case reused(Int, because: String)
        /// Nothing usable was found.
        case notFound
        /// A file was found but stops the load (message as the loader says it).
        case failed(path: String, reason: String)
    }

    /// The object whose `DT_NEEDED` this is.
    public let requester: Int
    public let name: String
    public let outcome: Outcome
    /// Every place searched, in order (empty when reused by name or for a path).
    public let searched: [SearchStep]
}

/// The result of modelling a loader on one program.
public struct LoadReport: Sendable, Codable {
    /// The program's path in the image.
    public let program: String
    public let loader: LoaderKind
    /// The `PT_INTERP` path, when there is one.
    public let interpreter: String?
    /// What was read of the image's glibc (glibc only).
    public let glibc: GlibcInstallation?
    /// Objects in load order; the program first.
    public let objects: [LoadedObject]
    /// Every `DT_NEEDED` of every loaded object, breadth-first.
    public let dependencies: [Dependency]
    /// What would go wrong, in the order the loader meets it.
    public let problems: [LoaderProblem]

    /// The first fatal problem: what the user sees when the container starts.
    public var firstFatalProblem: LoaderProblem? { problems.first { $0.severity == .fatal } }
    /// Whether the loader would get the program to `main`.
    public var wouldStart: Bool { firstFatalProblem == nil }
}
