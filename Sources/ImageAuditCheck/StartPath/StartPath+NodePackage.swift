import ImageAuditFS
import ImageAuditShell

/// `node DIR` when DIR has a package.json: Node's tryPackage (checked live with Node 20 and 24):
/// a string "main" is tried as a file, with .js, .json, .node, then as a directory's index.*;
/// then DIR/index.* (Node warns DEP0128 and runs it). Neither: `Error: Cannot find module 'MAIN'.
/// Please verify that the package.json has a valid "main" entry`, status 1. No "main" (or not a
/// string): DIR/index.*, else `Error: Cannot find module 'DIR'`.
extension StartPath {
    func nodePackage(_ at: Invocation, directory: String) -> [StartFailure] {
        let json = directory + "/package.json"
        let contents = ImageShellWorld.read(json, tree: model.tree, credentials: at.credentials)
        guard case .text(let text) = contents, let manifest = PackageJSON(Array(text.utf8)) else {
            return [notJudged(at, what: json, reason: "\(json) was not read")]
        }
        let node = at.argv.first ?? "node"
        let index = ["/index.js", "/index.json", "/index.node"].map { directory + $0 }
        guard let main = manifest.main, !main.isEmpty else {
            if index.contains(where: nodeIsFile) { return [] }
            return [
                failure(
                    at, .scriptFileMissing(interpreter: node, file: directory, unreadable: false),
                    message: "Error: Cannot find module '\(directory)'",
                    chain: [
                        "\(json) names no \"main\"; node tried " + index.joined(separator: ", "),
                        "node exits with status 1",
                    ])
            ]
        }
        let target = Self.lexical(ImagePath.absolute(main, in: directory))
        let suffixes = ["", ".js", ".json", ".node", "/index.js", "/index.json", "/index.node"]
        let tried: [String] = suffixes.map { target + $0 }
        if tried.contains(where: nodeIsFile) || index.contains(where: nodeIsFile) { return [] }
        return [
            failure(
                at, .scriptFileMissing(interpreter: node, file: target, unreadable: false),
                message: "Error: Cannot find module '\(target)'. Please verify that the package.json has a valid "
                    + "\"main\" entry",
                chain: [
                    "\(json) has \"main\": \"\(main)\"", "node tried " + (tried + index).joined(separator: ", "),
                    "node exits with status 1",
                ])
        ]
    }

    /// Node's stat-based test (a regular file after symlinks; read permission is not asked).
    func nodeIsFile(_ path: String) -> Bool {
        guard case .success(let found) = model.tree.resolve(path) else { return false }
        return model.tree.attributes(of: found.node).type == .regular
    }

    /// An absolute path with `.` and `..` taken out lexically, as Node's path.resolve and
    /// Python's os.path.abspath do.
    static func lexical(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `ruby`, `ruby3.1`, `php8.2`: the name, then nothing or a version (digits and dots).
    static func isVersioned(_ name: String, _ stem: String) -> Bool {
        guard name.hasPrefix(stem) else { return false }
        return name.dropFirst(stem.count).allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }
}
