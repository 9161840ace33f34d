/// What `docker run` (or a Kubernetes container spec) changes about how the image starts.
///
/// `docker run --entrypoint X` replaces Entrypoint and drops the image's Cmd; arguments after the
/// image name (`--cmd` here, `args:` in Kubernetes) replace Cmd. `command:` in Kubernetes is
/// `--entrypoint` with a list.
public struct RunOverrides: Sendable, Hashable {
    /// Replaces the image's Entrypoint (and drops its Cmd unless ``cmd`` is given). `[]` clears it.
    public var entrypoint: [String]?
    /// Replaces the image's Cmd.
    public var cmd: [String]?
    /// Replaces the image's User (`name`, `uid`, `name:group`, `uid:gid`).
    public var user: String?
    /// `KEY=VALUE` pairs set over the image's Env (`docker run -e`).
    public var env: [String]

    public init(entrypoint: [String]? = nil, cmd: [String]? = nil, user: String? = nil, env: [String] = []) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.user = user
        self.env = env
    }
}

/// How to audit: the run overrides and which checks to run.
public struct AuditOptions: Sendable, Hashable {
    public var overrides: RunOverrides
    /// Also check every ELF and script in the PATH directories (as warnings).
    public var allExecutables: Bool
    /// Also try every Python extension module on the interpreter's path (as warnings).
    public var allModules: Bool

    public init(overrides: RunOverrides = RunOverrides(), allExecutables: Bool = false, allModules: Bool = false) {
        self.overrides = overrides
        self.allExecutables = allExecutables
        self.allModules = allModules
    }
}
