import ImageAuditFS

/// The distribution an image says it is, from its release files.
public struct Distribution: Sendable, Hashable, Codable {
    /// `ID` of os-release (`debian`, `alpine`…), or the distribution a release file names.
    public var id: String
    /// `ID_LIKE` words, for families (`rhel fedora`).
    public var like: [String]
    /// `VERSION_ID`, or the contents of `/etc/alpine-release` / `/etc/debian_version`.
    public var versionID: String?
    /// `PRETTY_NAME` (else `NAME`), when os-release has one.
    public var prettyName: String?
    /// The file it was read from.
    public var source: String

    public init(id: String, like: [String] = [], versionID: String? = nil, prettyName: String? = nil, source: String) {
        self.id = id
        self.like = like
        self.versionID = versionID
        self.prettyName = prettyName
        self.source = source
    }

    /// `PRETTY_NAME`, else `ID VERSION_ID`.
    public var displayName: String { prettyName ?? [id, versionID].compactMap { $0 }.joined(separator: " ") }

    /// What the files read (``requirements``) say: `/etc/os-release` (or `/usr/lib/os-release`),
    /// else `/etc/alpine-release`, `/etc/debian_version`, a distroless `/var/lib/dpkg/status.d`;
    /// nil when none is there (scratch).
    public init?(tree: FileTree) {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            guard let text = Self.text(tree, path) else { continue }
            let fields = Self.osReleaseFields(text)
            guard let id = fields["ID"] ?? fields["NAME"] else { continue }
            self.init(
                id: id, like: (fields["ID_LIKE"] ?? "").split(separator: " ").map(String.init),
                versionID: fields["VERSION_ID"], prettyName: fields["PRETTY_NAME"] ?? fields["NAME"], source: path)
            return
        }
        if let version = Self.text(tree, "/etc/alpine-release").map(Self.firstLine) {
            self.init(
                id: "alpine", versionID: version, prettyName: Self.alpinePrettyName(version),
                source: "/etc/alpine-release")
        } else if let version = Self.text(tree, "/etc/debian_version").map(Self.firstLine) {
            self.init(id: "debian", versionID: version, source: "/etc/debian_version")
        } else if case .success(let found) = tree.resolve("/var/lib/dpkg/status.d"),
            tree.attributes(of: found.node).type == .directory
        {
            self.init(id: "distroless", source: "/var/lib/dpkg/status.d")
        } else {
            return nil
        }
    }

    /// What Alpine's own os-release calls a release: `3.19.1` is "Alpine Linux v3.19", a
    /// development snapshot (`3.20_alpha20240329`) is "Alpine Linux edge".
    static func alpinePrettyName(_ version: String) -> String {
        if version.contains("_") { return "Alpine Linux edge" }
        return "Alpine Linux v" + version.split(separator: ".").prefix(2).joined(separator: ".")
    }

    /// The release files, read whole.
    static let requirements = ContentRequirements(
        [
            .init(.path("etc/os-release"), cap: 64 << 10, reason: "the distribution"),
            .init(.path("usr/lib/os-release"), cap: 64 << 10, reason: "the distribution"),
            .init(.path("etc/alpine-release"), cap: 4 << 10, reason: "Alpine without os-release"),
            .init(.path("etc/debian_version"), cap: 4 << 10, reason: "Debian without os-release"),
        ],
        totalBudget: 256 << 10)

    /// `KEY=value` and `KEY="value"` lines (os-release(5)); `#` comments skipped.
    static func osReleaseFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            var value = String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            fields[key] = value
        }
        return fields
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(whereSeparator: \.isNewline).first ?? "").trimmingCharacters(in: .whitespaces)
    }

    private static func text(_ tree: FileTree, _ path: String) -> String? {
        guard case .success(let found) = tree.resolve(path), let data = tree.content(of: found.node)?.data else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}
