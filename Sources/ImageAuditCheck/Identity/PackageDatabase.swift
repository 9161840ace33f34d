import ImageAuditFS

/// The image's package database, as far as the audit reads it: dpkg's `status` (or distroless's
/// `status.d/*`) and apk's `installed`. rpm's database is binary and not read.
struct PackageDatabase: Sendable, Hashable {
    enum Manager: String, Sendable, Hashable {
        case dpkg
        case apk
    }

    var manager: Manager?
    /// Installed package name → version.
    var versions: [String: String] = [:]
    /// apk only: the absolute path of every file → the package that owns it.
    var owners: [String: String] = [:]
    /// The package tools present in the image (`apt-get`, `apk`): a fix may only tell to run
    /// one that exists.
    var tools: Set<String> = []
    /// dpkg's `status.d/` without `status`: distroless, which has no dpkg or apt to run.
    var distroless = false

    init(manager: Manager? = nil, versions: [String: String] = [:], owners: [String: String] = [:]) {
        self.manager = manager
        self.versions = versions
        self.owners = owners
    }

    /// The databases, read whole.
    static let requirements = ContentRequirements(
        [
            .init(.path("lib/apk/db/installed"), cap: 32 << 20, reason: "apk's package database"),
            .init(.path("var/lib/dpkg/status"), cap: 32 << 20, reason: "dpkg's package database"),
            .init(.path("var/lib/dpkg/status.d/*"), cap: 4 << 20, reason: "distroless's dpkg database"),
        ],
        totalBudget: 64 << 20)

    init(tree: FileTree) {
        if let apk = Self.data(tree, "/lib/apk/db/installed") {
            manager = .apk
            parseAPK(apk)
        }
        var stanzas: [[UInt8]] = []
        if let status = Self.data(tree, "/var/lib/dpkg/status") { stanzas.append(status) }
        if case .success(let dir) = tree.resolve("/var/lib/dpkg/status.d") {
            for (name, node) in tree.children(of: dir.node) where !name.contains(UInt8(ascii: ".")) {
                if let data = tree.content(of: node)?.data { stanzas.append(data) }
            }
        }
        if !stanzas.isEmpty {
            manager = manager ?? .dpkg
            for data in stanzas { parseDpkg(data) }
        }
        distroless = manager == .dpkg && Self.data(tree, "/var/lib/dpkg/status") == nil
        for (tool, paths) in Self.toolPaths where paths.contains(where: { Self.exists(tree, $0) }) {
            tools.insert(tool)
        }
    }

    /// Where each package tool lives (through /bin → usr/bin links too).
    static let toolPaths = [
        "apt-get": ["/usr/bin/apt-get", "/bin/apt-get"],
        "apk": ["/sbin/apk", "/usr/sbin/apk", "/usr/bin/apk", "/bin/apk"],
    ]

    private static func exists(_ tree: FileTree, _ path: String) -> Bool {
        if case .success = tree.resolve(path) { return true }
        return false
    }

    /// dpkg stanzas: `Package:`, `Status: install ok installed`, `Version:`. Read as bytes, not
    /// as Characters: a big image's status file is megabytes, and this runs after every layer
    /// is read, on one core.
    private mutating func parseDpkg(_ data: [UInt8]) {
        var fields: [String: String] = [:]
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.isEmpty || line.elementsEqual([UInt8(ascii: "\r")]) {
                record(fields)
                fields = [:]
                continue
            }
            // Continuation lines (a Description's body) start with a space or a tab.
            guard line.first != UInt8(ascii: " "), line.first != UInt8(ascii: "\t"),
                let colon = line.firstIndex(of: UInt8(ascii: ":"))
            else { continue }
            let name = Self.trimmed(line[..<colon])
            guard name == "Package" || name == "Version" || name == "Status" else { continue }
            fields[name] = Self.trimmed(line[(colon + 1)...])
        }
        record(fields)
    }

    private mutating func record(_ fields: [String: String]) {
        guard let package = fields["Package"], let version = fields["Version"] else { return }
        // status.d files have no Status field; in `status`, only installed packages count.
        if let status = fields["Status"], !status.hasSuffix(" installed") { return }
        versions[package.split(separator: ":").first.map(String.init) ?? package] = version
    }

    /// The bytes without leading and trailing spaces, tabs and carriage returns, as text.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
        guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// apk's installed db: `P:` package, `V:` version, `F:` directory, `R:` file in it.
    private mutating func parseAPK(_ data: [UInt8]) {
        var package = ""
        var directory = ""
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let value = String(line.dropFirst(2))
            switch line.prefix(2) {
            case "P:": package = value
            case "V:": versions[package] = value
            case "F:": directory = value
            case "R:": owners["/" + (directory.isEmpty ? value : directory + "/" + value)] = package
            default: break
            }
        }
    }

    private static func data(_ tree: FileTree, _ path: String) -> [UInt8]? {
        guard case .success(let found) = tree.resolve(path) else { return nil }
        return tree.content(of: found.node)?.data
    }
}

extension String {
    /// The text with leading and trailing characters in `set` removed (Foundation-free).
    func trimmingCharacters(in set: CharacterSetLite) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}

/// The few character sets the parsers need, without Foundation.
enum CharacterSetLite {
    case whitespaces
    case quotes

    func contains(_ character: Character) -> Bool {
        switch self {
        case .whitespaces: character == " " || character == "\t" || character == "\r"
        case .quotes: character == "\"" || character == "'"
        }
    }
}
