import ImageAuditOCI

/// The process a container of the image starts: argv, environment, user and working directory,
/// after Docker's merge of the image config with the run overrides.
struct ContainerProcess: Sendable, Hashable {
    var argv: [String]
    var environment: Environment
    /// The `User` string as given (empty: root).
    var user: String
    /// Absolute; `/` when the config has none.
    var workingDir: String

    /// Docker's merge (moby `daemon/create.go`, `merge`): an overridden Entrypoint drops the
    /// image's Cmd; an overridden Cmd keeps the image's Entrypoint.
    init(config: RuntimeConfig?, overrides: RunOverrides) {
        let entrypoint: [String]
        let cmd: [String]
        if let override = overrides.entrypoint {
            entrypoint = override
            cmd = overrides.cmd ?? []
        } else {
            entrypoint = config?.entrypoint ?? []
            cmd = overrides.cmd ?? config?.cmd ?? []
        }
        argv = entrypoint + cmd
        var environment = Environment(config?.env ?? [])
        for pair in overrides.env { environment.set(pair) }
        environment.addDefaultPath()
        self.environment = environment
        user = overrides.user ?? config?.user ?? ""
        workingDir = Self.absoluteWorkingDir(config?.workingDir)
    }

    /// The process Docker starts for the HEALTHCHECK, or nil when there is none
    /// (`["NONE"]`, no test). `CMD-SHELL` runs through the config's `Shell` (default `/bin/sh -c`).
    func healthcheck(_ config: RuntimeConfig?) -> ContainerProcess? {
        guard let test = config?.healthcheck?.test, let kind = test.first else { return nil }
        var process = self
        switch kind {
        case "CMD":
            process.argv = Array(test.dropFirst())
        case "CMD-SHELL":
            let shell = config?.shell ?? ["/bin/sh", "-c"]
            process.argv = shell + Array(test.dropFirst().prefix(1))
        default:
            return nil
        }
        return process
    }

    private static func absoluteWorkingDir(_ dir: String?) -> String {
        guard let dir, !dir.isEmpty else { return "/" }
        return dir.hasPrefix("/") ? dir : "/" + dir
    }
}

/// A container environment: `KEY=VALUE` entries in order, later settings replacing earlier ones.
struct Environment: Sendable, Hashable {
    private(set) var entries: [String]

    /// Docker's default PATH for Linux containers, added when the config sets none.
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    init(_ entries: [String]) {
        self.entries = []
        for entry in entries { set(entry) }
    }

    /// Sets `KEY=VALUE`, replacing an entry with the same key.
    mutating func set(_ entry: String) {
        let key = Self.key(of: entry)
        if let index = entries.firstIndex(where: { Self.key(of: $0) == key }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    mutating func addDefaultPath() {
        if self["PATH"] == nil { entries.append("PATH=" + Self.defaultPath) }
    }

    subscript(key: String) -> String? {
        for entry in entries where Self.key(of: entry) == key {
            return String(entry.dropFirst(key.count + 1))
        }
        return nil
    }

    /// The PATH directories in order; an empty entry means the working directory, as in Go and libc.
    var pathDirectories: [String] {
        (self["PATH"] ?? "").split(separator: ":", omittingEmptySubsequences: false).map {
            $0.isEmpty ? "." : String($0)
        }
    }

    private static func key(of entry: String) -> Substring {
        entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }
}
