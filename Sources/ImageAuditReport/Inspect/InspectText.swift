import Foundation
import ImageAuditCheck
import ImageAuditCore
import ImageAuditFS
import ImageAuditOCI

/// The text form of `inspect`: a block per image.
public enum InspectText {
    public static func render(_ image: Image, identity: ImageIdentity, includeFiles: Bool) -> String {
        let runtime = image.runtime
        let names =
            image.names.isEmpty
            ? "(untagged \(image.configDigest.encoded.prefix(12)))" : image.names.joined(separator: ", ")
        var lines = ["\(image.source): \(names)"]
        func field(_ name: String, _ value: String) {
            lines.append("  " + (name + ":").padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        field("format", image.format.rawValue)
        field("platform", image.platform.description)
        field(
            "distribution",
            identity.distribution.map { "\($0.displayName) (\($0.source))" } ?? "none (no release files: scratch)")
        let loaders = identity.loaders
        field(
            "libc",
            identity.libcName + (identity.glibcCompat ? " + glibc compatibility loader" : "")
                + (loaders.isEmpty ? "" : " (" + loaders.map(\.path).joined(separator: ", ") + ")"))
        field("entrypoint", argv(runtime.entrypoint))
        field("cmd", argv(runtime.cmd))
        if let env = runtime.env, !env.isEmpty {
            field("env", env[0])
            for variable in env.dropFirst() { lines.append(String(repeating: " ", count: 16) + variable) }
        } else {
            field("env", "(none)")
        }
        field("workdir", runtime.workingDir.flatMap { $0.isEmpty ? nil : $0 } ?? "(not set: /)")
        field("user", runtime.user.flatMap { $0.isEmpty ? nil : $0 } ?? "(not set: root)")
        field("healthcheck", healthcheck(runtime.healthcheck))
        field("layers", "\(image.layers.count)")
        field("files", "\(image.tree.nodeCount)")
        for issue in image.mergeIssues { field("merge issue", issue.description) }
        if includeFiles {
            lines.append("  files:")
            for file in InspectReport.files(image.tree) {
                let target = file.target.map { " -> \($0)" } ?? ""
                lines.append(
                    "    \(file.mode) \(file.uid)/\(file.gid) \(file.type.padding(toLength: 7, withPad: " ", startingAt: 0)) \(file.size) \(file.path)\(target)"
                )
            }
        }
        // Lines are built from image data: every control character in them is shown, none is sent.
        return lines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
    }

    /// `["a","b"]` the way Docker shows exec-form arrays; `(none)` when unset.
    private static func argv(_ arguments: [String]?) -> String {
        guard let arguments else { return "(none)" }
        return "["
            + arguments.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ", ")
            + "]"
    }

    private static func healthcheck(_ check: Healthcheck?) -> String {
        guard let test = check?.test, let kind = test.first else { return "(none)" }
        switch kind {
        case "NONE": return "disabled (NONE)"
        case "CMD-SHELL": return "CMD-SHELL \(test.dropFirst().joined(separator: " "))"
        case "CMD": return "CMD " + argv(Array(test.dropFirst()))
        default: return argv(test)
        }
    }
}
