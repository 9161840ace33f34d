import Foundation

/// Image tarballs an attacker would write, generated (never checked in): each makes one cost or
/// one output path of imageaudit misbehave if it is not bounded or escaped. docs/security.md.
public enum HostileImages {
    /// ESC, BEL, BS and newlines where a report prints input: the tag, `User` (a newline forging
    /// a PASS line under a failing image), `Entrypoint`, `Env`, `WorkingDir`, and a file name.
    public static let forgedLine = "\n  PASS  starts: /bin/app as root\n"
    public static let escapeTag = "evil\u{1b}[31m\u{7}:x\u{8}y"
    public static let escapeFile = "bin/\u{1b}]0;pwned\u{7}tool"

    /// A docker save whose entrypoint is missing (so it fails) and whose config is full of
    /// control characters.
    public static func terminalInjection() throws -> [UInt8] {
        let layer = try FixtureLayer { tar in
            tar.add("bin/", .directory)
            tar.add(escapeFile, .file(Array("#!/bin/sh\n".utf8)), mode: 0o755)
        }
        let runtime =
            "{\"Entrypoint\":[\"/bin/missing\\u001b[2J\"],\"User\":\(json("root" + forgedLine)),"
            + "\"Env\":[\"PATH=/bin\",\"X=\\u001b[1;1H\\r\\u007f\"],\"WorkingDir\":\"/\\u009b2J\"}"
        let image = FixtureImage(names: [], runtimeJSON: runtime, layers: [layer])
        // The tag goes in by hand: the fixture writer's JSON leaves control characters raw.
        let entries = ImageTarballs.dockerSave([image]).map { entry in
            guard entry.name == "manifest.json", case .file(let bytes) = entry.kind else { return entry }
            let text = String(decoding: bytes, as: UTF8.self)
                .replacingOccurrences(of: "\"RepoTags\":[]", with: "\"RepoTags\":[\(json(escapeTag))]")
            return FixtureEntry.file(entry.name, Array(text.utf8))
        }
        return ImageTarballs.write(entries)
    }

    /// A JSON string literal with every control character as `\u00XX`.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5c: out += "\\\\"
            case 0..<0x20, 0x7f..<0xa0:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A docker save whose manifest names a layer that is not there, by a name full of escapes:
    /// the error message on standard error quotes it.
    public static func injectionInError() -> [UInt8] {
        let manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[\"\\u001b[2Jgone\\n.tar\"]}]"
        let config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        return ImageTarballs.write([.file("manifest.json", Array(manifest.utf8)), .file("c.json", Array(config.utf8))])
    }
}
