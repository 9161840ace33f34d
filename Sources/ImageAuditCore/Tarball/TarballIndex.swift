import ImageAuditArchive
import ImageAuditFS

/// One entry of the outer tarball: where its data is, and what it links to.
struct OuterEntry: Sendable, Hashable {
    /// The cleaned path (no `./`, no leading `/`).
    var path: String
    var kind: ArchiveEntry.Kind
    var size: Int64
    /// Where the data starts in the (uncompressed) tarball.
    var dataOffset: Int64
    /// For links: the cleaned path of the target, relative to the tarball root.
    var linkTarget: String?

    var dataRange: Range<Int64> { dataOffset..<(dataOffset + size) }
}

/// The outer tarball's entries by path. A later entry with the same path replaces the earlier
/// one, as tar extraction would.
struct TarballIndex: Sendable {
    private(set) var entries: [String: OuterEntry] = [:]
    /// Paths in the order first seen, for messages.
    private(set) var paths: [String] = []

    mutating func add(_ entry: ArchiveEntry) {
        let path = Self.clean(entry.pathBytes)
        var target: String?
        if let link = entry.linkTarget {
            switch entry.kind {
            case .symlink:
                // Symlink targets are relative to the link's directory.
                let directory = path.split(separator: "/").dropLast().joined(separator: "/")
                target =
                    link.first == UInt8(ascii: "/")
                    ? Self.clean(link) : Self.clean(Array((directory + "/").utf8) + link)
            default:
                target = Self.clean(link)  // hard link targets are archive paths
            }
        }
        if entries[path] == nil { paths.append(path) }
        entries[path] = OuterEntry(
            path: path, kind: entry.kind, size: entry.size, dataOffset: entry.dataOffset, linkTarget: target)
    }

    /// Adds an entry that is not a tar header (a file of a layout directory).
    mutating func add(_ entry: OuterEntry) {
        if entries[entry.path] == nil { paths.append(entry.path) }
        entries[entry.path] = entry
    }

    /// A stored name cleaned to `a/b/c` (`.` and empty components dropped, `..` clamped).
    static func clean(_ bytes: [UInt8]) -> String {
        PathBytes.lexicallyCleaned(bytes).map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    static func clean(_ path: String) -> String { clean(Array(path.utf8)) }

    /// The regular file at `path`, through symlinks and hard links (at most 16 hops).
    func regularFile(at path: String, what: String) throws(ImageReadError) -> OuterEntry {
        var current = Self.clean(path)
        for _ in 0..<16 {
            guard let entry = entries[current] else {
                throw ImageReadError("\(what) \(path) is missing from the tarball")
            }
            switch entry.kind {
            case .regular: return entry
            case .symlink, .hardlink:
                guard let target = entry.linkTarget else { break }
                current = target
                continue
            default: break
            }
            throw ImageReadError("\(what) \(path) is not a regular file in the tarball")
        }
        throw ImageReadError("\(what) \(path): too many levels of links in the tarball")
    }

    /// Whether a path exists (any type).
    func contains(_ path: String) -> Bool { entries[Self.clean(path)] != nil }

    /// A short list of the tarball's top-level names, for "this is not an image" messages.
    var topLevelSummary: String {
        var seen: [String] = []
        for path in paths {
            let top = String(path.split(separator: "/").first ?? "")
            if !top.isEmpty && !seen.contains(top) { seen.append(top) }
            if seen.count > 8 { break }
        }
        if seen.isEmpty { return "it is empty" }
        let more = seen.count > 8 ? ", …" : ""
        return "it holds " + seen.prefix(8).joined(separator: ", ") + more
    }
}
