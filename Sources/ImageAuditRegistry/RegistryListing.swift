import Foundation

/// A registry's lists: the repositories of its catalog (`/v2/_catalog`) and the tags of a
/// repository (`/v2/REPO/tags/list`), each followed through its `Link: <…>; rel="next"` pages.
/// What a reference expands to (skipping tagless repositories) is `AuditInputs.expand`'s.
public struct RegistryListing: Sendable {
    public let options: RegistryOptions

    public init(options: RegistryOptions) {
        self.options = options
    }

    /// The repository names of the catalog.
    public func repositories(_ reference: RegistryReference) throws(RegistryError) -> [String] {
        try pages("/v2/_catalog?n=1000", key: "repositories", reference: reference, scope: "registry:catalog:*")
            .filter(RegistryReference.validRepository)
    }

    /// The tags of a repository; none when it has none (the registry's `null`).
    public func tags(of reference: RegistryReference) throws(RegistryError) -> [String] {
        try pages(
            "/v2/\(reference.repository)/tags/list?n=1000", key: "tags", reference: reference,
            scope: "repository:\(reference.repository):pull")
    }

    private func pages(
        _ first: String, key: String, reference: RegistryReference, scope: String
    ) throws(RegistryError) -> [String] {
        let client = try RegistryClient.shared(options)
        var path: String? = first
        var names: [String] = []
        var seen: Set<String> = []
        while let current = path, seen.insert(current).inserted, seen.count <= 10_000 {
            let response = try client.get(current, on: reference, scope: scope)
            guard response.status == 200 else {
                throw RegistryClient.failure(
                    response, what: key == "tags" ? "tags of \(reference.repository)" : "catalog")
            }
            let body = try response.body.body(limit: 64 << 20)
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw RegistryError("\(key == "tags" ? "tag list" : "catalog"): not valid JSON")
            }
            names += object[key] as? [String] ?? []
            path = response.header("Link").flatMap(Self.next)
        }
        return names
    }

    /// The target of `<…>; rel="next"` (a path, or a URL of which the path and query are kept).
    static func next(_ link: String) -> String? {
        for part in link.split(separator: ",") {
            guard part.contains("rel=\"next\"") || part.contains("rel=next"),
                let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close
            else { continue }
            let target = String(part[part.index(after: open)..<close])
            if target.hasPrefix("/") { return target }
            guard let url = URLComponents(string: target) else { return nil }
            return url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        return nil
    }
}
