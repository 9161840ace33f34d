import ImageAuditFS

/// What a Node entry script loads at start, as a static scan: the `require('x')` calls on
/// top-level lines (column 0) and the `import … from 'x'` / `import 'x'` / `export … from 'x'`
/// statements. Calls inside functions or blocks (indented) and computed specifiers are not seen.
enum NodeRequires {
    /// Entry scripts are read whole when they are at most three directories down (`/app/server.js`,
    /// `/app/dist/main.mjs`) or in the official images' app directories (`/usr/src/app`, `/home/node/app`).
    static let requirements = ContentRequirements(
        ["js", "mjs", "cjs"].flatMap { ext in
            ["*.\(ext)", "*/*.\(ext)", "*/*/*.\(ext)", "usr/src/*/*.\(ext)", "home/*/*/*.\(ext)"].map {
                ContentRequirements.Rule(.path($0), cap: 256 << 10, reason: "the requires of a Node entry script")
            }
        },
        totalBudget: 8 << 20)

    /// The specifiers, in order, each once.
    static func scan(_ text: String) -> [String] {
        var found: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let first = line.first, !first.isWhitespace, !line.hasPrefix("//"), !line.hasPrefix("*") else {
                continue
            }
            var specifiers: [String] = []
            var rest = line[...]
            while let range = rest.firstRange(of: "require(") {
                let before = rest[..<range.lowerBound].last
                rest = rest[range.upperBound...]
                // `x.require(` or `myrequire(` is another function.
                if let before, before.isLetter || before.isNumber || before == "_" || before == "." || before == "$" {
                    continue
                }
                if let literal = quoted(rest.drop { $0 == " " }) { specifiers.append(literal) }
            }
            if line.hasPrefix("import ") || line.hasPrefix("import{") || line.hasPrefix("export ") {
                if line.hasPrefix("import "), let literal = quoted(line.dropFirst(7).drop { $0 == " " }) {
                    specifiers.append(literal)  // import 'x'
                } else if let from = line.ranges(of: " from ").last ?? line.ranges(of: "}from").last,
                    let literal = quoted(line[from.upperBound...].drop { $0 == " " })
                {
                    specifiers.append(literal)
                }
            }
            for specifier in specifiers where !found.contains(specifier) { found.append(specifier) }
        }
        return found
    }

    /// `'x'` or `"x"` at the start (template literals and expressions are not followed).
    private static func quoted(_ text: Substring) -> String? {
        guard let quote = text.first, quote == "'" || quote == "\"" else { return nil }
        let body = text.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        let literal = String(body[..<end])
        return literal.isEmpty || literal.contains("\\") ? nil : literal
    }

    /// Node 20's built-in modules (`require('node:x')` is always one).
    static let builtins: Set<String> = [
        "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants", "crypto", "dgram",
        "diagnostics_channel", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector", "module", "net",
        "os", "path", "perf_hooks", "process", "punycode", "querystring", "readline", "repl", "stream",
        "string_decoder", "sys", "timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    ]

    static func isBuiltin(_ specifier: String) -> Bool {
        if specifier.hasPrefix("node:") { return true }
        let first = specifier.split(separator: "/", maxSplits: 1).first.map(String.init) ?? specifier
        return builtins.contains(first)
    }

    /// `@scope/name/sub` → `@scope/name`; `name/sub` → `name`.
    static func packageName(_ specifier: String) -> String {
        let parts = specifier.split(separator: "/", omittingEmptySubsequences: false)
        let count = specifier.hasPrefix("@") ? 2 : 1
        return parts.prefix(count).joined(separator: "/")
    }
}
