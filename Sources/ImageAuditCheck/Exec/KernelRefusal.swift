/// An ELF file whose header and machine the kernel accepts but which it still cannot run: what
/// `load_elf_binary` (fs/binfmt_elf.c) does with it, as observed with a real `execve` on
/// Linux 6.18 (`docs/resolution-rules.md`, *Files the kernel refuses*).
public struct KernelRefusal: Sendable, Hashable {
    /// What the file is, which decides the finding code.
    public enum Kind: String, Sendable, Hashable {
        /// A header field the kernel rejects (`exec-format-error`).
        case malformed
        /// The file is shorter than its program headers say (`truncated-binary`).
        case truncated
        /// A shared library or a separate debug-info file, not a program (`not-a-program`).
        case notAProgram
    }

    /// How the start ends.
    public enum Outcome: String, Sendable, Hashable {
        /// execve fails with `ENOEXEC`: runc prints `exec PATH: exec format error`.
        case execFormatError
        /// execve fails with `EIO` (a short read of `PT_INTERP`): `exec PATH: input/output error`.
        case inputOutputError
        /// execve succeeds and the process is killed before any of its code runs, or at its
        /// first instruction: SIGSEGV, exit status 139, nothing printed.
        case segmentationFault
        /// Killed by SIGBUS at the first access to a page past the end of the file: exit 135.
        case busError
        /// The file lacks only bytes of its last, partly backed page: they read as zeros. The
        /// program may run or crash; a warning, not a verdict.
        case readsZeros
    }

    public var kind: Kind
    public var outcome: Outcome
    /// What is wrong, for the cause: "its PT_INTERP segment is empty (p_filesz 0)".
    public var why: String

    public init(kind: Kind, outcome: Outcome, why: String) {
        self.kind = kind
        self.outcome = outcome
        self.why = why
    }

    /// The status `docker run` (and runc) exits with when the process is killed.
    var exitStatus: Int? {
        switch outcome {
        case .segmentationFault: 139
        case .busError: 135
        case .execFormatError, .inputOutputError, .readsZeros: nil
        }
    }
}
