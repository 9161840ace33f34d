import Foundation

/// A user name and password for one registry, or an identity token (docker's `<token>` user:
/// an OAuth2 refresh token). `description` never shows the password.
struct Credential: Sendable, Hashable, CustomStringConvertible {
    var user: String
    var password: String

    /// The user name docker's credential helpers give for an identity token.
    static let identityTokenUser = "<token>"

    init(identityToken: String) {
        self.init(user: Self.identityTokenUser, password: identityToken)
    }

    /// The password is an identity token, to trade for a bearer token (never sent as basic auth).
    var isIdentityToken: Bool { user == Self.identityTokenUser }

    var basicHeader: String { "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
    var description: String { "\(user):***" }

    /// `USER:PASS` (`--creds`).
    init?(pair: String) {
        guard let colon = pair.firstIndex(of: ":") else { return nil }
        user = String(pair[..<colon])
        password = String(pair[pair.index(after: colon)...])
        if user.isEmpty { return nil }
    }

    init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// Where credentials come from, in the order skopeo and podman look: `--creds`, then
/// `--authfile` / `REGISTRY_AUTH_FILE`, then `$XDG_RUNTIME_DIR/containers/auth.json`, then
/// `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. Each file's `auths` maps a host
/// (`HOST[:PORT]`, or a URL such as `https://index.docker.io/v1/`) to `auth` (base64 of
/// `user:password`), `username` and `password`, or `identitytoken`. In a file, docker's order: a helper named
/// for the host in `credHelpers`, else the `credsStore` helper, else `auths` (``CredentialHelper``);
/// a helper that has no credential for the host means none from that file.
struct CredentialStore: Sendable {
    let options: RegistryOptions

    func credential(for host: String) throws(RegistryError) -> Credential? {
        if let pair = options.credentials {
            guard let credential = Credential(pair: pair) else { throw RegistryError("--creds takes USER:PASSWORD") }
            return credential
        }
        for file in files() {
            guard let data = FileManager.default.contents(atPath: file) else {
                if file == explicitFile { throw RegistryError("\(file): cannot read the auth file") }
                continue
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw RegistryError("\(file): not valid JSON")
            }
            if let helper = Self.helper(in: object, for: host) {
                if let credential = try CredentialHelper(name: helper, environment: options.environment)
                    .credential(for: Self.serverURL(host))
                {
                    return credential
                }
                continue
            }
            let auths = object["auths"] as? [String: Any] ?? [:]
            for (key, value) in auths where Self.normalized(key) == Self.normalized(host) {
                guard let entry = value as? [String: Any] else { continue }
                if let credential = Self.decode(entry) { return credential }
            }
        }
        return nil
    }

    private var explicitFile: String? {
        options.authFile ?? options.environment["REGISTRY_AUTH_FILE"].flatMap { $0.isEmpty ? nil : $0 }
    }

    private func files() -> [String] {
        if let explicit = explicitFile { return [explicit] }
        var files: [String] = []
        if let runtime = options.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            files.append(runtime + "/containers/auth.json")
        }
        if let docker = options.environment["DOCKER_CONFIG"], !docker.isEmpty {
            files.append(docker + "/config.json")
        } else if let home = options.environment["HOME"], !home.isEmpty {
            files.append(home + "/.docker/config.json")
        }
        return files
    }

    /// The helper a config file names for the host: `credHelpers`, else `credsStore`.
    static func helper(in config: [String: Any], for host: String) -> String? {
        let helpers = config["credHelpers"] as? [String: Any] ?? [:]
        for (key, value) in helpers where normalized(key) == normalized(host) {
            if let name = value as? String { return name }
        }
        return (config["credsStore"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What `docker login` stores a host under: Docker Hub's v1 URL, else `HOST[:PORT]`.
    static func serverURL(_ host: String) -> String {
        normalized(host) == "docker.io" ? "https://index.docker.io/v1/" : host
    }

    static func decode(_ entry: [String: Any]) -> Credential? {
        if let token = entry["identitytoken"] as? String, !token.isEmpty { return Credential(identityToken: token) }
        if let auth = entry["auth"] as? String, !auth.isEmpty, let data = Data(base64Encoded: auth),
            let pair = String(data: data, encoding: .utf8)
        {
            return Credential(pair: pair)
        }
        if let user = entry["username"] as? String, let password = entry["password"] as? String, !user.isEmpty {
            return Credential(user: user, password: password)
        }
        return nil
    }

    /// `https://index.docker.io/v1/` → `docker.io`; `host:5000/` → `host:5000`.
    static func normalized(_ key: String) -> String {
        var key = key.lowercased()
        for scheme in ["https://", "http://"] where key.hasPrefix(scheme) { key.removeFirst(scheme.count) }
        key = String(key.prefix { $0 != "/" })
        if ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].contains(key) { return "docker.io" }
        return key
    }
}
