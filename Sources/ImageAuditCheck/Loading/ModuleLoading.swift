import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader

/// Why `dlopen` of an extension module from its interpreter fails, in the interpreter's words.
public struct ModuleLoadFailure: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case libraryNotFound(String)
        case versionNotFound(String)
        case symbolNotFound(String)
        /// An object with `DT_RELR` relocations under a musl that cannot apply them.
        case relrUnsupported(object: String, musl: String)
        case other
    }

    public var kind: Kind
    /// What `dlerror` says (CPython's `ImportError` text).
    public var message: String
    /// The object that needs what is missing.
    public var neededBy: String
    /// Where the loader looked, one line per step.
    public var searched: [String]
    /// Which loader: glibc or musl.
    public var libc: LibC
    /// Every version the object lacks (dlerror names the first in `DT_VERNEED` order, not the
    /// newest: cryptography's manylinux_2_34 `_rust` under glibc 2.31 says GLIBC_2.33).
    public var missingVersions: [String] = []
}

/// The loader model run for `python3` followed by `dlopen(module, RTLD_NOW)`: the modules'
/// problems are those of the second load that the interpreter's own start does not have.
public struct ModuleLoading: Sendable {
    let tree: FileTree
    let interpreter: String
    let options: LoaderOptions
    let baseline: Set<String>
    let baselineCount: Int
    let musl: String?

    /// - Parameter muslVersion: the image's musl version, for the `DT_RELR` check (nil: unknown).
    /// - Parameter bindNow: CPython dlopens with RTLD_NOW (`sys.getdlopenflags()`); Node's
    ///   `process.dlopen` with RTLD_LAZY (a missing function fails only when called).
    public init(
        tree: FileTree, interpreter: String, environment: [String: String], workingDirectory: String,
        credentials: Credentials?, muslVersion: String?, bindNow: Bool = true
    ) {
        var env = environment
        if bindNow { env["LD_BIND_NOW"] = "1" }
        let options = LoaderOptions(environment: env, workingDirectory: workingDirectory, credentials: credentials)
        let report = DynamicLoader.load(program: interpreter, in: tree, options: options)
        self.tree = tree
        self.interpreter = interpreter
        self.options = options
        baseline = Set(report.problems.filter { $0.severity == .fatal }.map(Self.key))
        baselineCount = report.objects.count
        musl = muslVersion
    }

    /// The first failure of loading `module`, or nil when it loads.
    public func check(_ module: String) -> ModuleLoadFailure? {
        var options = options
        options.dlopen = [module]
        let report = DynamicLoader.load(program: interpreter, in: tree, options: options)
        let libc: LibC = report.loader == .musl ? .musl : .glibc
        if let problem = report.problems.first(where: { $0.severity == .fatal && !baseline.contains(Self.key($0)) }) {
            let kind: ModuleLoadFailure.Kind =
                switch problem.kind {
                case .libraryNotFound, .libraryWrongClass, .libraryUnusable: .libraryNotFound(problem.subject)
                case .versionNotFound: .versionNotFound(problem.subject)
                case .undefinedSymbol: .symbolNotFound(problem.subject)
                default: .other
                }
            let steps = report.dependencies.first { $0.name == problem.subject && !$0.isResolved }?.searched ?? []
            let missing = report.problems.filter {
                $0.kind == .versionNotFound && $0.severity == .fatal && $0.object == problem.object
                    && !baseline.contains(Self.key($0))
            }
            return ModuleLoadFailure(
                kind: kind, message: dlerror(problem.message, argv0: interpreter), neededBy: problem.object,
                searched: steps.map(ImageLoaderModel.describe), libc: libc, missingVersions: missing.map(\.subject))
        }
        if libc == .musl, let musl, Self.olderThan(musl, "1.2.4") {
            for object in report.objects.dropFirst(baselineCount) {
                guard let node = tree.node(at: object.resolvedPath),
                    case .success(let file)? = tree.content(of: node)?.elf,
                    file.dynamic?.hasRelr == true
                else { continue }
                return ModuleLoadFailure(
                    kind: .relrUnsupported(object: object.path, musl: musl),
                    message: "Segmentation fault (musl \(musl) ignores the DT_RELR relocations of \(object.path))",
                    neededBy: object.path, searched: [], libc: libc)
            }
        }
        return nil
    }

    /// The module and the libraries it brings, as the loader found them (for `tree`).
    public func report(_ module: String) -> LoadReport {
        var options = options
        options.dlopen = [module]
        return DynamicLoader.load(program: interpreter, in: tree, options: options)
    }

    private static func key(_ problem: LoaderProblem) -> String {
        "\(problem.kind)\u{0}\(problem.object)\u{0}\(problem.subject)"
    }

    /// glibc's `dlerror` text: the loader's start-up message without `argv0: …:` in front.
    private func dlerror(_ message: String, argv0: String) -> String {
        for prefix in [": error while loading shared libraries: ", ": symbol lookup error: ", ": "] {
            if message.hasPrefix(argv0 + prefix) { return String(message.dropFirst(argv0.count + prefix.count)) }
        }
        return message
    }

    static func olderThan(_ version: String, _ other: String) -> Bool {
        let a = version.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let b = other.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return a.lexicographicallyPrecedes(b)
    }
}
