/// What a registry argument names: `docker://HOST[:PORT]/REPO[:TAG|@sha256:…]` (skopeo's
/// transport name) or `registry:…` (syft's and grype's). Without a tag it is every tag of the
/// repository; `docker://HOST/` is every repository of the catalog. A name without a slash, or
/// whose first component is no host (no `.`, no `:`, not `localhost`), is Docker Hub's, as
/// docker and skopeo read it.
public struct RegistryReference: Sendable, Hashable, CustomStringConvertible {
    public enum Target: Sendable, Hashable {
        case catalog
        case repository
        case tag(String)
        case digest(String)
    }

    /// `HOST` or `HOST:PORT` as written (`docker.io` for Docker Hub).
    public var host: String
    /// `team/api`; empty for the catalog.
    public var repository: String
    public var target: Target

    public static let prefixes = ["docker://", "registry://", "registry:"]

    /// Whether an argument is meant as a registry reference (its prefix), whatever follows.
    public static func isReference(_ argument: String) -> Bool {
        prefixes.contains { argument.hasPrefix($0) }
    }

    public init(host: String, repository: String, target: Target) {
        self.host = host
        self.repository = repository
        self.target = target
    }

    public init(parsing argument: String) throws(RegistryError) {
        guard let prefix = Self.prefixes.first(where: { argument.hasPrefix($0) }) else {
            throw RegistryError("not a registry reference (docker://HOST/REPO:TAG)")
        }
        let rest = String(argument.dropFirst(prefix.count))
        guard !rest.isEmpty else { throw RegistryError("no registry after \(prefix)") }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var host = parts[0]
        var path = parts.count > 1 ? parts[1] : ""
        // No slash, or a first component that is no host: a Docker Hub repository, as docker reads it.
        if parts.count == 1 || !Self.looksLikeHost(host) {
            path = rest
            host = "docker.io"
            if !path.contains("/") { path = "library/" + path }
        }
        guard Self.validHost(host) else { throw RegistryError("\(host): not a registry host name") }
        self.host = host
        if path.isEmpty {
            repository = ""
            target = .catalog
            return
        }
        if let at = path.firstIndex(of: "@") {
            let digest = String(path[path.index(after: at)...])
            path = String(path[..<at])
            guard digest.hasPrefix("sha256:"), digest.count == 71,
                digest.dropFirst(7).allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else { throw RegistryError("\(digest): not a sha256 digest") }
            // A tag before the digest is ignored, as docker does.
            if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") { path = String(path[..<colon]) }
            target = .digest(digest)
        } else if let colon = path.lastIndex(of: ":"), !path[colon...].contains("/") {
            let tag = String(path[path.index(after: colon)...])
            path = String(path[..<colon])
            guard Self.validTag(tag) else { throw RegistryError("\(tag): not a valid tag") }
            target = .tag(tag)
        } else {
            target = .repository
        }
        if path.hasSuffix("/") { path.removeLast() }
        guard Self.validRepository(path) else { throw RegistryError("\(path): not a valid repository name") }
        repository = path
    }

    /// The same registry and repository at another tag.
    public func tagged(_ tag: String) -> RegistryReference {
        RegistryReference(host: host, repository: repository, target: .tag(tag))
    }

    /// The argument that reads this reference again.
    public var description: String { "docker://" + name }

    /// `HOST/REPO:TAG`, `HOST/REPO@sha256:…`, `HOST/REPO`, `HOST/`.
    public var name: String {
        switch target {
        case .catalog: "\(host)/"
        case .repository: "\(host)/\(repository)"
        case .tag(let tag): "\(host)/\(repository):\(tag)"
        case .digest(let digest): "\(host)/\(repository)@\(digest)"
        }
    }

    /// `REPO:TAG` (or `REPO@sha256:…`): the key `--shard` splits a registry by.
    public var shardKey: String {
        switch target {
        case .tag(let tag): "\(repository):\(tag)"
        case .digest(let digest): "\(repository)@\(digest)"
        default: repository
        }
    }

    /// What `/v2/REPO/manifests/…` takes.
    var manifestReference: String? {
        switch target {
        case .tag(let tag): tag
        case .digest(let digest): digest
        default: nil
        }
    }

    /// The host the API answers on (Docker Hub's differs from its name).
    var apiHost: String { host == "docker.io" || host == "index.docker.io" ? "registry-1.docker.io" : host }

    /// The host name without the port, for the loopback rule.
    var hostName: String {
        if host.hasPrefix("[") { return String(host.dropFirst().prefix { $0 != "]" }) }
        return String(host.prefix { $0 != ":" })
    }

    var isLoopback: Bool { ["localhost", "127.0.0.1", "::1"].contains(hostName) }

    static func looksLikeHost(_ component: String) -> Bool {
        component.contains(".") || component.contains(":") || component == "localhost"
    }

    private static func validHost(_ host: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        return !host.isEmpty && host.allSatisfy { allowed.contains($0) }
    }

    /// The distribution spec's `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`,
    /// checked per component.
    static func validRepository(_ path: String) -> Bool {
        guard !path.isEmpty, path.count <= 255 else { return false }
        let alphanumeric = Set("abcdefghijklmnopqrstuvwxyz0123456789")
        let separators = Set("._-")
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = component.first, let last = component.last, alphanumeric.contains(first),
                alphanumeric.contains(last),
                component.allSatisfy({ alphanumeric.contains($0) || separators.contains($0) })
            else { return false }
        }
        return true
    }

    /// `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
    static func validTag(_ tag: String) -> Bool {
        guard let first = tag.first, tag.count <= 128, first.isASCII, first.isLetter || first.isNumber || first == "_"
        else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
