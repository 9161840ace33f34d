/// Which rule of the loader's search produced a directory or a path.
public enum SearchRule: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The name contains a `/` and is used as a path.
    case path
    /// `DT_RPATH` of the object named (the requester or one of the objects that loaded it).
    case rpath(of: String)
    /// `LD_LIBRARY_PATH` from the image environment.
    case libraryPath
    /// `DT_RUNPATH` of the requesting object.
    case runpath(of: String)
    /// `/etc/ld.so.cache`.
    case cache
    /// The glibc loader's built-in default directories.
    case defaultDirectory
    /// musl's `/etc/ld-musl-ARCH.path` (the path named).
    case muslPathFile(String)
    /// musl's built-in `/lib:/usr/local/lib:/usr/lib`, used when there is no path file.
    case muslDefault
    /// A name musl answers with itself (`libc.so`, `libpthread.so.0` …).
    case muslItself

    public var description: String {
        switch self {
        case .path: "path in DT_NEEDED"
        case .rpath(let owner): "RPATH of \(owner)"
        case .libraryPath: "LD_LIBRARY_PATH"
        case .runpath(let owner): "RUNPATH of \(owner)"
        case .cache: "ld.so.cache"
        case .defaultDirectory: "default directory"
        case .muslPathFile(let file): "musl path file \(file)"
        case .muslDefault: "musl default directory"
        case .muslItself: "provided by musl itself"
        }
    }
}

/// What happened to one file the loader tried.
public enum CandidateResult: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Taken: this is the library.
    case accepted
    /// Open failed (`ENOENT`, `ENOTDIR`, `EACCES`, `ELOOP` …), the search goes on (except after `ELOOP`).
    case unavailable(errno: String)
    /// An ELF file of the other class: glibc skips it and remembers it for its error message.
    case wrongClass(ELFClassName)
    /// An ELF file for another machine: glibc skips it silently.
    case wrongMachine(String)
    /// The file stops the whole load (glibc `open_verify` / musl `map_library` errors).
    case unusable(String)
    /// glibc with `DF_1_NODEFLIB`: a cache entry in a default directory is not used.
    case skippedNoDefaultLibraries
    /// What the layer reader kept of the file is not enough to tell.
    case unknownContent

    /// `ELFCLASS32` / `ELFCLASS64`.
    public typealias ELFClassName = String

    public var description: String {
        switch self {
        case .accepted: "found"
        case .unavailable(let errno): errno == "ENOENT" ? "not there" : errno
        case .wrongClass(let found): "skipped: wrong ELF class \(found)"
        case .wrongMachine(let found): "skipped: built for \(found)"
        case .unusable(let reason): "cannot be loaded: \(reason)"
        case .skippedNoDefaultLibraries: "skipped: the object has DF_1_NODEFLIB"
        case .unknownContent: "content not available to check"
        }
    }
}

/// One file path the loader tried.
public struct Candidate: Sendable, Hashable, Codable {
    public let path: String
    public let result: CandidateResult
}

/// One place searched, in order: a directory (with the files tried in it and its subdirectories)
/// or the cache.
public struct SearchStep: Sendable, Hashable, Codable {
    public let rule: SearchRule
    /// The directory as the loader spells it, or the cache file.
    public let location: String
    /// Files tried there; empty when nothing by that name was there.
    public let candidates: [Candidate]
    /// A remark, e.g. "no entry for libfoo.so.1".
    public let note: String?

    public init(rule: SearchRule, location: String, candidates: [Candidate], note: String? = nil) {
        self.rule = rule
        self.location = location
        self.candidates = candidates
        self.note = note
    }
}
