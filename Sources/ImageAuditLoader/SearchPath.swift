/// Splitting and expanding search path lists the way each loader does.
enum SearchPath {
    /// The values glibc substitutes for dynamic string tokens.
    struct Tokens {
        /// The directory of the object holding the path (nil: unknown, the element is dropped).
        var origin: String?
        var platform: String?
        var lib: String?
    }

    /// glibc's `fillin_rpath` over `decompose_rpath` / `_dl_init_paths`: split on `separators`,
    /// expand `$ORIGIN`, `$PLATFORM`, `$LIB` (also `${…}`), drop elements whose token has no value
    /// or that expand to nothing, strip trailing slashes, keep each directory once. An empty
    /// element stays: it is the working directory.
    static func glibc(_ list: String, separators: Set<Character> = [":"], tokens: Tokens) -> [String] {
        var result: [String] = []
        for element in list.split(omittingEmptySubsequences: false, whereSeparator: separators.contains) {
            var directory = ""
            if !element.isEmpty {
                guard let expanded = expandGlibc(String(element), tokens: tokens), !expanded.isEmpty else { continue }
                directory = expanded
                while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
            }
            if !result.contains(directory) { result.append(directory) }
        }
        return result
    }

    /// One element: a known token without a value makes the element unusable (nil); an unknown
    /// `$` sequence is kept as it is (`_dl_dst_substitute`).
    static func expandGlibc(_ element: String, tokens: Tokens) -> String? {
        var output = ""
        var rest = Substring(element)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            var matched = false
            for (name, value) in [("ORIGIN", tokens.origin), ("PLATFORM", tokens.platform), ("LIB", tokens.lib)] {
                guard let length = tokenLength(rest, name) else { continue }
                guard let value else { return nil }
                output += value
                rest = rest.dropFirst(length)
                matched = true
                break
            }
            if !matched { output += "$" }
        }
        return output + rest
    }

    /// glibc's `is_dst`: `NAME` not followed by an identifier character, or `{NAME}`.
    private static func tokenLength(_ input: Substring, _ name: String) -> Int? {
        if input.hasPrefix("{" + name + "}") { return name.count + 2 }
        guard input.hasPrefix(name) else { return nil }
        let next = input.dropFirst(name.count).first
        if let next, next.isASCII, next.isLetter || next.isNumber || next == "_" { return nil }
        return name.count
    }

    /// musl's `fixup_rpath`: only `$ORIGIN` and `${ORIGIN}` are known; any other `$` makes musl
    /// ignore the whole path (nil). `origin` nil (unknown) also drops it.
    static func muslExpand(_ list: String, origin: String?) -> String? {
        guard list.contains("$") else { return list }
        var output = ""
        var rest = Substring(list)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[dollar...]
            let length: Int
            if rest.hasPrefix("${ORIGIN}") {
                length = 9
            } else if rest.hasPrefix("$ORIGIN") {
                length = 7
            } else {
                return nil
            }
            guard let origin else { return nil }
            output += origin
            rest = rest.dropFirst(length)
        }
        return output + rest
    }

    /// musl's `path_open` splitting: `:` and newlines separate, empty elements are skipped.
    static func muslElements(_ list: String) -> [String] {
        list.split(whereSeparator: { $0 == ":" || $0 == "\n" }).map(String.init)
    }
}
