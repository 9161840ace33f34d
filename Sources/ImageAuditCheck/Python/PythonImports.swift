/// The modules a Python source names at top level: `import a.b, c as d` and `from a import b`
/// at column 0 (a statement under `try:`, `if` or a function is conditional and not counted).
/// Relative imports (`from . import x`, `from .core import y`) are resolved against `package`.
/// A static scan, as the issue allows: code that builds names at run time is not followed.
enum PythonImports {
    /// Dotted names, in order; for `from a import b` both `a` and `a.b` (b may be a submodule).
    static func scan(_ source: String, package: String?) -> [String] {
        var names: [String] = []
        var logical: [Substring] = []
        var open = false
        for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if open {
                logical.append(line)
                if line.contains(")") {
                    open = false
                    names += statement(logical.joined(separator: " "), package)
                }
                continue
            }
            guard line.hasPrefix("import ") || line.hasPrefix("from ") else { continue }
            if line.contains("(") && !line.contains(")") {
                logical = [line]
                open = true
                continue
            }
            names += statement(String(line).replacingBackslashes(), package)
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    private static func statement(_ text: String, _ package: String?) -> [String] {
        let cleaned = String(text.map { $0 == "(" || $0 == ")" || $0 == ";" ? " " : $0 })
        let words = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let keyword = words.first else { return [] }
        if keyword == "import" {
            return words.dropFirst().joined(separator: " ").split(separator: ",").compactMap { part in
                part.split(separator: " ").first.map(String.init).flatMap(valid)
            }
        }
        guard keyword == "from", words.count >= 4, words[2] == "import", let base = absolute(words[1], package) else {
            return []
        }
        let imported = words.dropFirst(3).joined(separator: " ").split(separator: ",").compactMap { part in
            part.split(separator: " ").first.map(String.init)
        }
        return [base] + imported.filter { $0 != "*" }.compactMap { valid(base.isEmpty ? $0 : base + "." + $0) }
    }

    /// `.x` inside package `p.q` is `p.q.x`; `..x` is `p.x`.
    private static func absolute(_ name: String, _ package: String?) -> String? {
        guard name.hasPrefix(".") else { return valid(name) }
        guard let package else { return nil }
        let dots = name.prefix(while: { $0 == "." }).count
        var parts = package.split(separator: ".").map(String.init)
        guard dots - 1 <= parts.count - 1 else { return nil }
        parts.removeLast(dots - 1)
        let rest = name.dropFirst(dots)
        return rest.isEmpty ? parts.joined(separator: ".") : valid(parts.joined(separator: ".") + "." + rest)
    }

    private static func valid(_ name: String) -> String? {
        let ok =
            !name.isEmpty
            && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
                    && !(part.first?.isNumber ?? true)
            }
        return ok ? name : nil
    }
}

extension String {
    /// A `\` line continuation is rare in import lines; treat it as a space.
    fileprivate func replacingBackslashes() -> String { String(map { $0 == "\\" ? " " : $0 }) }
}

extension ModuleImports {
    /// The import scan, for tests.
    public static func scanForTests(_ source: String, package: String?) -> [String] {
        PythonImports.scan(source, package: package)
    }
}
