import ArgumentParser
import Foundation
import ImageAuditConfig

/// Where an option's value comes from when the command line does not give it: the
/// environment (`IMAGEAUDIT_FAIL_ON` for `--fail-on`), then the config file. The command line
/// beats the environment, which beats the file; a list from a higher source replaces a lower
/// one's whole.
struct SettingSources {
    var environment: [String: String]
    var file: ConfigFile?

    /// `--fail-on` → `IMAGEAUDIT_FAIL_ON`.
    static func variable(_ flag: String) -> String {
        "IMAGEAUDIT_" + flag.uppercased().replacing("-", with: "_")
    }

    /// One value and where it came from (for error messages).
    func value(_ flag: String, _ commandLine: String?) -> (value: String, origin: String)? {
        if let commandLine { return (commandLine, "--\(flag)") }
        let variable = Self.variable(flag)
        if let value = environment[variable], !value.isEmpty { return (value, variable) }
        if let file, let value = file.settings[flag]?.last { return (value, "\(file.path): \(flag)") }
        return nil
    }

    /// A repeatable option's values. In the environment they are separated by newlines, or by
    /// commas when there is no newline (except `env`, `entrypoint`, `cmd`: newlines only).
    func list(_ flag: String, _ commandLine: [String]) -> [(value: String, origin: String)] {
        if !commandLine.isEmpty { return commandLine.map { ($0, "--\(flag)") } }
        let variable = Self.variable(flag)
        if let value = environment[variable], !value.isEmpty {
            let byNewline = value.contains("\n") || ["env", "entrypoint", "cmd"].contains(flag)
            let parts = value.split(separator: byNewline ? "\n" : ",", omittingEmptySubsequences: true)
            return parts.map { (String($0).trimmingCharacters(in: .whitespaces), variable) }
        }
        if let file, let values = file.settings[flag] { return values.map { ($0, "\(file.path): \(flag)") } }
        return []
    }

    /// A flag: on when given; else `1`/`true`/`yes` or `0`/`false`/`no` from the environment or file.
    func flag(_ flag: String, _ commandLine: Bool) throws -> Bool {
        if commandLine { return true }
        guard let (value, origin) = value(flag, nil) else { return false }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ValidationError("\(origin): '\(value)' is not true or false")
        }
    }
}
