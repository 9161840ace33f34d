import ArgumentParser
import ImageAuditCore
import ImageAuditRegistry

/// How to reach registries for `docker://HOST/REPO:TAG` inputs, spelt as skopeo spells it
/// (docs/registry.md).
struct RegistryOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Registry credentials (default: the auth files).", valueName: "user:password"))
    var creds: String?

    @Option(
        help: ArgumentHelp(
            "A podman/skopeo auth.json (default: REGISTRY_AUTH_FILE, then podman's, then ~/.docker/config.json).",
            valueName: "path"))
    var authfile: String?

    @Option(
        help: ArgumentHelp(
            "CA certificates (*.crt) trusted besides the system's, and a client certificate (*.cert, *.key).",
            valueName: "dir"))
    var certDir: String?

    @Option(help: ArgumentHelp("Verify registries' TLS certificates (--tls-verify=false: do not).", valueName: "bool"))
    var tlsVerify: Bool = true

    @Flag(help: "Speak plain HTTP to registries (without it only localhost and 127.0.0.1 may answer in HTTP).")
    var plainHTTP = false

    func validate() throws {
        if let creds, !creds.contains(":") || creds.hasPrefix(":") {
            throw ValidationError("--creds takes USER:PASSWORD")
        }
    }

    var options: RegistryOptions {
        var options = RegistryOptions()
        options.credentials = creds
        options.authFile = authfile
        options.certDirectory = certDir
        options.verifyTLS = tlsVerify
        options.plainHTTP = plainHTTP
        return options
    }

    /// What the reader uses for registry inputs.
    var source: any RemoteImageSource { RegistrySource(options: options) }
}
