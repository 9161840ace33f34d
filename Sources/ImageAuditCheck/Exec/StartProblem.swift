import ImageAuditELF
import ImageAuditFS

/// Why a process does not reach its program's code, as the model found it: the facts the
/// explanation (cause and fixes) is written from.
enum StartProblem: Sendable, Hashable {
    /// Neither Entrypoint nor Cmd.
    case noCommand
    case unknownUser(String)
    case unknownGroup(String)
    /// argv[0] not found: a path that does not resolve, or a bare name in no PATH directory.
    case commandNotFound(name: String, lookedUp: [String], elsewhere: [String])
    /// Found but the kernel refuses with EACCES.
    case notExecutable(path: String, why: NotExecutableReason)
    /// An ELF program whose `PT_INTERP` is missing from the image.
    case missingInterpreter(program: String, interpreter: String, facts: ELFFacts)
    /// An ELF file for another machine or class than the image's platform.
    case wrongArchitecture(path: String, facts: ELFFacts, platform: String)
    /// Neither ELF nor `#!`, an empty or truncated `#!` line, or a malformed ELF header.
    case execFormat(path: String, why: String)
    /// A `#!` interpreter that does not exist; `crlf` when the name ends in `\r`.
    case missingShebangInterpreter(script: String, interpreter: String, crlf: Bool)
    /// `#!/usr/bin/env NAME` with NAME in no PATH directory: env exits 127.
    case envCommandNotFound(script: String, command: String, path: [String])
    /// More nested `#!` interpreters than the kernel follows.
    case interpreterLoop(scripts: [String])
    /// The loader stopped (or a lazily bound symbol will fail). `elsewhere`: files in the image
    /// with a missing library's name, in directories the loader did not search. `missingVersions`:
    /// every symbol version the program's objects lack, so a fix names a base that has them all.
    case link(LinkProblem, program: String, facts: ELFFacts, libc: LibC, elsewhere: [String], missingVersions: [String])
    /// An ELF file the kernel accepts by its header and machine but cannot run.
    case kernelRefused(path: String, refusal: KernelRefusal)
    /// The file could not be analysed; its start is not judged.
    case notAnalysed(path: String, why: String)
    /// After the first exec: a shell, wrapper or interpreter on the way (StartPath/).
    case startPath(StartPathProblem)
}

/// Why the kernel refuses to execute a file (EACCES).
enum NotExecutableReason: Sendable, Hashable {
    case directory
    case notRegular(FileType)
    /// No execute bit for these credentials: the file's mode and owner.
    case noExecuteBit(permissions: UInt32, uid: UInt32, gid: UInt32, runAs: Credentials)
    /// A directory on the way may not be searched by these credentials.
    case searchDenied(directory: String, runAs: Credentials)
}

/// What the model concluded for one process start.
struct StartFailure: Error, Sendable, Hashable {
    var problem: StartProblem
    /// What the user sees.
    var message: String
    /// File → interpreter or library → what was searched.
    var chain: [String]
    /// False for problems that do not stop the start (lazy symbols, unanalysed files).
    var stopsStart: Bool = true
    /// Set when the kernel's execve fails: the message is then written by whoever called execve
    /// (runc: `exec NAME: <errno>`; env: `env: can't execute 'NAME': <strerror>`).
    var errno: Errno? = nil
}
