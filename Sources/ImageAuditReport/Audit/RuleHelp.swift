import ImageAuditCheck

/// What each finding code means, for SARIF rules and the text report's legend. The long form
/// of each lives in docs/findings.md.
extension FindingCode {
    /// A short title.
    public var title: String {
        switch self {
        case .noEntrypoint: "The image has no command to start"
        case .entrypointNotFound: "The entrypoint does not exist or is not on PATH"
        case .notExecutable: "The entrypoint (or its interpreter) may not be executed"
        case .unknownUser: "The configured user or group is not in /etc/passwd or /etc/group"
        case .missingInterpreter: "The ELF program interpreter (dynamic loader) is missing"
        case .missingLibrary: "A shared library the program needs is missing"
        case .missingSymbolVersion: "A library is older than the one the program was built against"
        case .missingSymbol: "A symbol the program uses is defined by no loaded library"
        case .wrongArchitecture: "The binary is built for another CPU architecture"
        case .missingShebangInterpreter: "The #! interpreter of a script is missing"
        case .healthcheckBroken: "The HEALTHCHECK command cannot start"
        case .execFormatError: "The file is neither an ELF binary nor a #! script"
        case .interpreterLoop: "#! interpreters nest deeper than the kernel follows"
        case .notAProgram: "The entrypoint is a shared library or a debug-info file, not a program"
        case .truncatedBinary: "The binary is shorter than its program headers say"
        case .binaryNotAnalysed: "A binary could not be analysed"
        case .elfIncompletelyRead: "A binary's dynamic tables could not be read in full"
        case .commandNotFound: "A shell or wrapper on the start path does not find its command"
        case .scriptFileMissing: "An interpreter is given a file that is missing or unreadable"
        case .shellError: "A shell on the start path stops with an error of its own"
        case .notJudged: "What a program on the start path does next is not judged"
        case .moduleWillNotLoad: "A Python extension module cannot be loaded by its interpreter"
        }
    }

    /// How it shows at start and what usually fixes it.
    public var help: String {
        switch self {
        case .noEntrypoint:
            "Neither Entrypoint nor Cmd is set, so Docker refuses to create the container (\"no command specified\"). Add ENTRYPOINT or CMD."
        case .entrypointNotFound:
            "runc cannot find argv[0]: `exec: \"NAME\": stat NAME: no such file or directory` or `executable file not found in $PATH`. Check COPY destinations, WORKDIR and PATH; shell-form commands need /bin/sh."
        case .notExecutable:
            "The kernel refuses with EACCES (`permission denied`): no execute bit for the container's user, a directory, or a directory on the way that the user may not search. chmod/chown it."
        case .unknownUser:
            "`unable to find user NAME: no matching entries in passwd file` (or `unable to find group NAME: no matching entries in group file`). Create the user or group in the image, or use numeric ids: USER uid:gid."
        case .missingInterpreter:
            "The file exists, yet `exec /app/x: no such file or directory`: its PT_INTERP loader is not in the image, usually a glibc binary on musl or scratch. Build statically or use a matching base."
        case .missingLibrary:
            "The loader stops: `error while loading shared libraries: libX: cannot open shared object file` (glibc) or `Error loading shared library libX` (musl). Install or copy the library."
        case .missingSymbolVersion:
            "glibc's loader stops with `version 'GLIBC_2.34' not found`: the program was built against a newer library than the image has. Use a newer base or build on the runtime's release."
        case .missingSymbol:
            "`Error relocating …: symbol not found` (musl) or `undefined symbol` (glibc): a library lacks a function the program uses."
        case .wrongArchitecture:
            "`exec format error`: the ELF machine or class does not match the image platform. Build for the image's platform."
        case .missingShebangInterpreter:
            "`exec script: no such file or directory` for a script that exists: its #! interpreter is missing, often because of CRLF line endings, or env cannot find the program."
        case .healthcheckBroken:
            "The HEALTHCHECK command would fail to start, so the container is marked unhealthy. The container itself starts."
        case .execFormatError:
            "`exec format error`: a script without #! or an empty file; runc does not fall back to a shell. Add a #! line."
        case .interpreterLoop:
            "`too many levels of symbolic links` (ELOOP): #! interpreters nest deeper than the kernel allows."
        case .notAProgram:
            "It starts and dies at once with SIGSEGV (exit status 139, no output), or execve says `exec format error`: the file is a shared library (e_entry 0, no PT_INTERP, not a PIE) or a separate debug-info file. Point the entrypoint at the program."
        case .truncatedBinary:
            "`exec /app/x: input/output error`, or it dies at once with SIGSEGV or SIGBUS (exit status 139 / 135, no output): the file was cut short. Copy the complete file again."
        case .binaryNotAnalysed:
            "The audit could not read this ELF file; whether it starts was not checked."
        case .elfIncompletelyRead:
            "Some of this ELF file's dynamic tables (DT_NEEDED names, symbols, versions) were not read, so what it needs is not known and its start was not judged."
        case .commandNotFound:
            "After the first exec, a shell (`/bin/sh: 1: nothere: not found`, 127) or a wrapper (`[FATAL tini (N)] exec x failed: No such file or directory`, env) cannot find the command it runs. Install or COPY it, or fix its name or PATH."
        case .scriptFileMissing:
            "An interpreter is given a file that is not there or not readable (`python3: can't open file '/app/main.py': [Errno 2] No such file or directory`, `sh: 0: cannot open /x.sh: No such file`). COPY it or fix the path."
        case .shellError:
            "The shell itself stops (a syntax error, `set -u` on an unset variable, `${X:?}`, a failing `cd` under `set -e`, `exit N`) before the program starts."
        case .notJudged:
            "What comes next cannot be judged statically (a command from an unset variable, `eval`, a script not kept whole, an interpreter not modelled); the audit says so instead of passing it."
        case .moduleWillNotLoad:
            "`import` raises `ImportError: libX: cannot open shared object file` (or a missing version or symbol): a library the extension module needs is missing, or the wheel is built for another C library. Install the library, or the wheel built for this image."
        }
    }
}
