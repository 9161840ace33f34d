/// A `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
struct AuthChallenge: Sendable, Hashable {
    var scheme: String
    var parameters: [String: String]

    /// The first challenge of the header value; nil when it has no scheme.
    init?(header: String) {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") ?? (trimmed.isEmpty ? nil : trimmed.endIndex) else {
            return nil
        }
        scheme = trimmed[..<space].lowercased()
        parameters = [:]
        var rest = Substring(trimmed[space...])
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingSpaces.lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end]).trimmingSpaces
                rest = rest[end...]
            }
            parameters[key] = value
        }
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
