import ArgumentParser
import Foundation
import ImageAuditCheck

/// `docker run`'s overrides, to audit what a `docker run` or a Kubernetes `command:`/`args:`
/// would start rather than the image's own settings.
struct RunOverrideOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Replace the Entrypoint (and drop the image's Cmd), like docker run --entrypoint or Kubernetes command:."
                + " Repeat for more arguments, or give a JSON array; '' clears it.",
            valueName: "arg|json-array"))
    var entrypoint: [String] = []

    @Option(
        help: ArgumentHelp(
            "Replace the Cmd, like the arguments after the image in docker run or Kubernetes args:."
                + " Repeat for more arguments, or give a JSON array.",
            valueName: "arg|json-array"))
    var cmd: [String] = []

    @OptionGroup var process: ProcessOptions

    @Flag(help: "Also check every ELF binary and #! script in the PATH directories (problems are warnings).")
    var allExecutables = false

    @Flag(help: "Also try every Python extension module on the interpreter's sys.path (problems are warnings).")
    var allModules = false

    func validate() throws {
        _ = try Self.arguments(entrypoint, option: "--entrypoint")
        _ = try Self.arguments(cmd, option: "--cmd")
    }

    /// The overrides the audit takes; nil fields keep the image's settings.
    func overrides() throws -> RunOverrides {
        RunOverrides(
            entrypoint: try Self.arguments(entrypoint, option: "--entrypoint"),
            cmd: try Self.arguments(cmd, option: "--cmd"), user: process.user, env: process.env)
    }

    /// Repeated values are one argument each; a value starting with `[` is a JSON array of
    /// strings; a single empty value clears the list (`--entrypoint ''`). Nil when not given.
    static func arguments(_ values: [String], option: String) throws -> [String]? {
        guard !values.isEmpty else { return nil }
        if values == [""] { return [] }
        var arguments: [String] = []
        for value in values {
            guard value.hasPrefix("[") else {
                arguments.append(value)
                continue
            }
            guard let array = try? JSONDecoder().decode([String].self, from: Data(value.utf8)) else {
                throw ValidationError("\(option): '\(value)' is not a JSON array of strings")
            }
            arguments += array
        }
        return arguments
    }
}

/// What the container's process gets besides its command: `--user` and `--env`.
struct ProcessOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Run as this user instead of the image's User: name, uid, name:group or uid:gid.", valueName: "user"))
    var user: String?

    @Option(
        help: ArgumentHelp("Set an environment variable over the image's Env (repeatable).", valueName: "KEY=VALUE"))
    var env: [String] = []

    func validate() throws {
        if let bad = env.first(where: { !$0.contains("=") || $0.hasPrefix("=") }) {
            throw ValidationError("--env takes KEY=VALUE: '\(bad)'")
        }
    }

    /// Only the user and environment overrides.
    var overrides: RunOverrides { RunOverrides(user: user, env: env) }
}
