import ImageAuditFS

/// How the program is started: the parts of the container configuration the loaders read.
public struct LoaderOptions: Sendable {
    /// The container environment (`KEY=value` pairs from the image config). The loaders read
    /// `LD_LIBRARY_PATH` and `LD_BIND_NOW`.
    public var environment: [String: String]
    /// The working directory (relative names and empty path elements are taken from it).
    public var workingDirectory: String
    /// Who runs the program; nil for root. Directories must be searchable and libraries readable.
    public var credentials: Credentials?
    /// `argv[0]`, as the loaders print it in messages; defaults to the program path.
    public var argv0: String?
    /// The `glibc-hwcaps` subdirectories the CPU supports, best first (`x86-64-v3`, `x86-64-v2`).
    /// Empty: a baseline CPU, the conservative choice for an image that may run anywhere.
    public var glibcHWCaps: [String]
    /// What glibc before 2.37 takes for `$PLATFORM` and the legacy platform subdirectory; nil:
    /// the architecture's `AT_PLATFORM` (`x86_64`). glibc 2.26–2.36 replace it on Intel CPUs with
    /// AVX2 by `haswell` (`xeon_phi` with AVX512ER), so it depends on the host the image runs on.
    public var glibcPlatform: String?
    /// The legacy hwcap subdirectory names (before 2.37) the CPU has besides `tls`; nil: the
    /// architecture's always-on names (`x86_64`). `ld.so --help` lists them ("avx512_1").
    public var glibcLegacyHWCaps: [String]?
    /// The image's platform from its config; objects that do not fit are reported.
    public var platform: ELFPlatform?
    /// A loader started explicitly with the file as its argument (`ld.so FILE`, as `ld.so --list`
    /// and `ldd` run it): used for a shared library, which has no `PT_INTERP`.
    public var explicitLoader: String?
    /// Paths the program `dlopen`s once started, in order (a Python extension module): each is
    /// opened by its path with the program as the caller, then its own `DT_NEEDED` are loaded.
    public var dlopen: [String] = []

    public init(
        environment: [String: String] = [:], workingDirectory: String = "/", credentials: Credentials? = nil,
        argv0: String? = nil, glibcHWCaps: [String] = [], glibcPlatform: String? = nil,
        glibcLegacyHWCaps: [String]? = nil, platform: ELFPlatform? = nil, explicitLoader: String? = nil
    ) {
        self.glibcPlatform = glibcPlatform
        self.glibcLegacyHWCaps = glibcLegacyHWCaps
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.credentials = credentials
        self.argv0 = argv0
        self.glibcHWCaps = glibcHWCaps
        self.platform = platform
        self.explicitLoader = explicitLoader
    }

    /// Parses the config's `Env` list (`KEY=value`); the first entry of a name wins, as `getenv` finds it.
    public static func environment(fromConfig env: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in env {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let key = String(entry[..<equals])
            if result[key] == nil { result[key] = String(entry[entry.index(after: equals)...]) }
        }
        return result
    }
}
