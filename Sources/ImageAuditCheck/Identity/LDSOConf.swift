import ImageAuditFS

/// The directories listed in `/etc/ld.so.conf` and in the files of `/etc/ld.so.conf.d` (the
/// `include` that Debian and most distributions use), each with the file that lists it.
enum LDSOConf {
    /// The configuration files, read whole.
    static let requirements = ContentRequirements(
        [
            .init(.path("etc/ld.so.conf"), cap: 64 << 10, reason: "ldconfig's directories"),
            .init(.path("etc/ld.so.conf.d/*"), cap: 64 << 10, reason: "ldconfig's directories"),
        ],
        totalBudget: 1 << 20)

    static func directories(in tree: FileTree) -> [String: String] {
        var listed: [String: String] = [:]
        func read(_ path: String, _ data: [UInt8]) {
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let word = String(entry).trimmingCharacters(in: .whitespaces)
                if word.hasPrefix("/") && listed[word] == nil { listed[word] = path }
            }
        }
        if case .success(let conf) = tree.resolve("/etc/ld.so.conf"), let data = tree.content(of: conf.node)?.data {
            read("/etc/ld.so.conf", data)
        }
        if case .success(let dir) = tree.resolve("/etc/ld.so.conf.d") {
            for (name, node) in tree.children(of: dir.node) {
                if let data = tree.content(of: node)?.data {
                    read("/etc/ld.so.conf.d/" + PathBytes.display(name), data)
                }
            }
        }
        return listed
    }
}
