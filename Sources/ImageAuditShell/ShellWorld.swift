/// What the evaluator asks the caller about the filesystem. Every answer may be "don't know".
public struct ShellWorld: Sendable {
    /// Finds the program for a command word the shell runs externally, given the shell's `PATH`
    /// (`ShellDialect.defaultPath` when unset) and working directory
    /// (nil when not known statically). `ShellPathSearch` gives the order the shell tries.
    public var resolveCommand: @Sendable (_ name: String, _ path: String, _ workingDir: String?) -> CommandResolution
    /// Answers `[ -f FILE ]` and friends for an absolute path; nil when unknown.
    public var testFile: @Sendable (_ test: FileTest, _ path: String) -> Bool?
    /// The text of a file for `.`/`source` (absolute path).
    public var readFile: @Sendable (_ path: String) -> FileText
    /// The output of a command substitution whose argv is known, when the caller can tell without
    /// running it (e.g. `id -u` from the image's USER); nil: not known. Trailing newlines are removed.
    public var commandOutput: @Sendable (_ argv: [String]) -> String?

    public init(
        resolveCommand: @escaping @Sendable (String, String, String?) -> CommandResolution,
        testFile: @escaping @Sendable (FileTest, String) -> Bool? = { _, _ in nil },
        readFile: @escaping @Sendable (String) -> FileText = { _ in .unknown("file contents are not available") },
        commandOutput: @escaping @Sendable ([String]) -> String? = { _ in nil }
    ) {
        self.resolveCommand = resolveCommand
        self.testFile = testFile
        self.readFile = readFile
        self.commandOutput = commandOutput
    }
}

/// A file read by `.`/`source`.
public enum FileText: Sendable, Equatable {
    case text(String)
    case notFound
    /// The caller does not have the contents: what the file does is not judged.
    case unknown(String)
}

/// The outcome of looking a command up as the shell would.
public enum CommandResolution: Sendable, Equatable {
    /// The file the shell executes (absolute path).
    case found(String)
    /// No file: the shell prints its "not found" message, status 127.
    case notFound
    /// A file exists but execve fails with EACCES (no x bit, or a directory): status 126.
    case permissionDenied(String)
    case isDirectory(String)
    /// The caller cannot tell (missing data): the step is not judged.
    case unknown(String)
}

/// The file operators of `test`/`[` the world is asked about (raw value: the operator).
public enum FileTest: String, Sendable, Equatable {
    case exists = "-e"
    case regular = "-f"
    case directory = "-d"
    case executable = "-x"
    case readable = "-r"
    case writable = "-w"
    case nonEmpty = "-s"
    case symlink = "-L"
    case symlinkH = "-h"
    case characterDevice = "-c"
    case blockDevice = "-b"
    case fifo = "-p"
    case socket = "-S"
}

/// The shell's command search (XCU 2.9.1.1): a name holding `/` is not searched; otherwise each
/// `PATH` entry in order, an empty entry meaning the working directory.
public enum ShellPathSearch {
    /// The absolute candidates the shell tries for `name`, in order (the first executable one wins).
    /// Relative candidates are joined to `workingDir`; with no working dir known they stay relative.
    public static func candidates(for name: String, path: String, workingDir: String?) -> [String] {
        if name.contains("/") { return [absolute(name, workingDir: workingDir)] }
        return path.split(separator: ":", omittingEmptySubsequences: false).map { entry in
            let directory = entry.isEmpty ? "." : String(entry)
            return absolute(directory + "/" + name, workingDir: workingDir)
        }
    }

    /// `name` joined to `workingDir` when relative, with `.` and `..` components folded.
    public static func absolute(_ name: String, workingDir: String?) -> String {
        let joined = name.hasPrefix("/") ? name : (workingDir ?? ".") + "/" + name
        guard joined.hasPrefix("/") else { return joined }
        var components: [Substring] = []
        for component in joined.split(separator: "/") {
            if component == "." { continue }
            if component == ".." {
                if !components.isEmpty { components.removeLast() }
                continue
            }
            components.append(component)
        }
        return "/" + components.joined(separator: "/")
    }
}

extension ShellDialect {
    /// The search path used when `PATH` is unset (from `env -i SHELL -c 'echo "$PATH"'`).
    public var defaultPath: String {
        switch self {
        case .dash: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        case .bash: "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:."
        case .busyboxAsh: "/sbin:/usr/sbin:/bin:/usr/bin"
        }
    }
}
