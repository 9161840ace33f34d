import ImageAuditFS

/// `sys.path` of a CPython 3 interpreter in the image, computed as its `getpath` and `site`
/// would at start: the prefix from the landmark `lib/pythonX.Y/os.py` above the (resolved)
/// executable or `pyvenv.cfg`'s `home`, `PYTHONHOME`, `PYTHONPATH`, the zip and stdlib entries,
/// `lib-dynload`, the user site, the site directories (upstream `site-packages` or Debian's
/// `dist-packages`, from the image's own `site.py`) and their `.pth` files. Every rule was
/// checked against Debian's python3.11 in a chroot (docs/python-modules.md).
public struct PythonSysPath: Sendable, Hashable {
    /// Where an entry comes from, for the chain and `tree`.
    public enum Origin: Sendable, Hashable {
        case scriptDirectory, workingDirectory, pythonPath, zip, stdlib, dynload
        case site, userSite
        /// A line of this `.pth` file.
        case pth(String)
    }

    public struct Entry: Sendable, Hashable {
        /// An absolute, lexically cleaned path.
        public var path: String
        public var origin: Origin
    }

    /// How the interpreter is started: what becomes `sys.path[0]`.
    public enum Start: Sendable, Hashable {
        /// `python3 FILE`: the directory of the script, symlinks resolved.
        case script(String)
        /// `python3 -m MOD`: the working directory.
        case module(String)
        /// `python3 -c CODE` or an interactive start: `''`, the working directory.
        case command
    }

    /// The command-line flags that change the path (`-E`, `-s`, `-I`, `-P`).
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let ignoreEnvironment = Flags(rawValue: 1)
        public static let noUserSite = Flags(rawValue: 2)
        public static let safePath = Flags(rawValue: 4)
        public static let isolated: Flags = [.ignoreEnvironment, .noUserSite, .safePath]
    }

    /// `"3.11"`.
    public var version: String
    public var prefix: String
    public var execPrefix: String
    /// The prefix of the installation a venv was made from (`prefix` outside a venv).
    public var basePrefix: String
    /// The venv directory (where `pyvenv.cfg` is), or nil.
    public var venv: String?
    public var entries: [Entry]
    /// The platform triplet of extension module names (`x86_64-linux-gnu`).
    public var platform: String
    /// What the model could not follow: `import` lines of `.pth` files, unreadable files.
    public var notJudged: [String]

    /// `importlib.machinery.EXTENSION_SUFFIXES` of this interpreter, in the order tried.
    public var extensionSuffixes: [String] {
        [".cpython-\(version.filter { $0 != "." })-\(platform).so", ".abi3.so", ".so"]
    }

    /// The files read whole: venv configuration, `.pth` files, `site.py` (which site rules),
    /// and the scripts near the root an entrypoint usually runs (for the import scan).
    static let requirements = ContentRequirements(
        [
            .init(.name("pyvenv.cfg"), cap: 16 << 10, reason: "a venv's base interpreter"),
            .init(.name("*.pth"), cap: 64 << 10, reason: "Python site directories' .pth files"),
            .init(.name("site.py"), cap: 256 << 10, reason: "which site directories Python adds"),
            .init(.path("*.py"), cap: 256 << 10, reason: "the imports of a Python entry script"),
            .init(.path("*/*.py"), cap: 256 << 10, reason: "the imports of a Python entry script"),
            .init(.path("*/*/*.py"), cap: 256 << 10, reason: "the imports of a Python entry script"),
            // The import scan follows package `__init__.py` files at any depth (site-packages is
            // 4–6 directories down) and the modules directly in site directories.
            .init(.name("__init__.py"), cap: 256 << 10, reason: "the imports of Python packages"),
        ] + siteModuleRules,
        totalBudget: 8 << 20)

    /// `PREFIX/site-packages/*.py` and `dist-packages` with 2–6 directories in PREFIX
    /// (`usr/lib/python3`, `usr/local/lib/python3.11`, `home/app/.local/lib/python3.11`).
    static let siteModuleRules: [ContentRequirements.Rule] = ["site-packages", "dist-packages"].flatMap { site in
        (2...6).map { depth in
            .init(
                .path(String(repeating: "*/", count: depth) + site + "/*.py"), cap: 256 << 10,
                reason: "the imports of Python modules in site directories")
        }
    }

    /// Why no path could be computed.
    public enum Problem: Error, Sendable, Hashable {
        /// No `lib/pythonX.Y/os.py` above the executable (nor the default prefixes).
        case noLandmark(executable: String)
        /// `PYTHONHOME` names a prefix without the standard library: Python dies at start.
        case homeWithoutStdlib(String)
    }

    /// The path of the interpreter at `interpreter` (absolute, as exec found it).
    /// - Parameter home: the user's home directory (`HOME`, else the passwd entry), or nil.
    public static func compute(
        in tree: FileTree, interpreter: String, start: Start = .command, environment: [String: String] = [:],
        home: String?, workingDirectory: String = "/", flags: Flags = []
    ) -> Result<PythonSysPath, Problem> {
        var builder = PythonPathBuilder(tree: tree, workingDirectory: workingDirectory)
        let env = flags.contains(.ignoreEnvironment) ? [:] : environment
        return builder.compute(interpreter: interpreter, start: start, env: env, home: home, flags: flags)
    }

    /// Only the directories: `sys.path` as Python prints it, minus the entries that do not exist.
    public var directories: [String] { entries.map(\.path) }
}

/// Lexical path helpers for `os.path.abspath` / `normpath` on image paths.
enum PyPath {
    static func clean(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func absolute(_ path: String, in directory: String) -> String {
        clean(ImagePath.absolute(path, in: directory))
    }

    /// Python's `str.rstrip()` / `str.strip()` (ASCII whitespace is enough for paths).
    static func rstrip(_ text: Substring) -> String {
        String(text.reversed().drop(while: isSpace).reversed())
    }

    static func strip(_ text: Substring) -> String { rstrip(text.drop(while: isSpace)) }

    static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\n" || c == "\u{0B}" || c == "\u{0C}"
    }

    static func parent(_ path: String) -> String { ImagePath.dirname(clean(path)) }
}
