import ImageAuditELF
import Foundation
import ImageAuditFS
import ImageAuditLoader

/// The distribution an image says it is, from its release files.
public struct Distribution: Sendable, Hashable, Codable {
    /// `ID` of os-release (`debian`, `alpine`…), or the distribution a release file names.
    public var id: String
    /// `VERSION_ID`, or the contents of `/etc/alpine-release` / `/etc/debian_version`.
    public var versionID: String?
    /// `PRETTY_NAME`, when os-release has one.
    public var prettyName: String?
    /// The file it was read from.
    public var source: String

    /// A distribution (tests build these to compare).
    public init(id: String, versionID: String? = nil, prettyName: String? = nil, source: String) {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
        self.source = source
    }

    /// `PRETTY_NAME`, else `ID VERSION_ID`.
    public var displayName: String { prettyName ?? [id, versionID].compactMap { $0 }.joined(separator: " ") }
}

/// A dynamic loader present in the image's library directories.
public struct LoaderPresence: Sendable, Hashable, Codable {
    /// Whose loader it is.
    public var libc: LibC
    /// Where it is, e.g. `/lib/ld-musl-x86_64.so.1` (it may be a symlink to the file).
    public var path: String

    /// A loader found at `path`.
    public init(libc: LibC, path: String) {
        self.libc = libc
        self.path = path
    }
}

extension Image {
    /// The distribution: `/etc/os-release` (or `/usr/lib/os-release`), else `/etc/alpine-release`,
    /// `/etc/debian_version`, a distroless `/var/lib/dpkg/status.d`; nil when none is there (scratch).
    public var distribution: Distribution? {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let text = text(at: path) {
                let fields = Self.osReleaseFields(text)
                if let id = fields["ID"] ?? fields["NAME"] {
                    return Distribution(
                        id: id, versionID: fields["VERSION_ID"], prettyName: fields["PRETTY_NAME"], source: path)
                }
            }
        }
        if let version = text(at: "/etc/alpine-release") {
            return Distribution(id: "alpine", versionID: Self.firstLine(version), source: "/etc/alpine-release")
        }
        if let version = text(at: "/etc/debian_version") {
            return Distribution(id: "debian", versionID: Self.firstLine(version), source: "/etc/debian_version")
        }
        if case .success(let found) = tree.resolve("/var/lib/dpkg/status.d"),
            tree.attributes(of: found.node).type == .directory
        {
            return Distribution(id: "distroless", source: "/var/lib/dpkg/status.d")
        }
        return nil
    }

    /// The C library flavours, from the loaders in `/lib`, `/lib64`, `/lib32`, `/libx32`,
    /// `/usr/lib`, `/usr/lib64` that lead to a regular file: glibc's `ld-linux*` and `ld64.so.*`,
    /// musl's `ld-musl-*.so.1`.
    public var loaders: [LoaderPresence] {
        var found: [LoaderPresence] = []
        var seen: Set<FileTree.NodeID> = []
        for directory in ["/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64"] {
            guard case .success(let resolved) = tree.resolve(directory), seen.insert(resolved.node).inserted,
                tree.attributes(of: resolved.node).type == .directory
            else { continue }
            for (name, _) in tree.children(of: resolved.node) {
                let text = PathBytes.display(name)
                let libc: LibC
                if text.hasPrefix("ld-musl-") && text.hasSuffix(".so.1") {
                    libc = .musl
                } else if text.hasPrefix("ld-linux") || text.hasPrefix("ld64.so.") {
                    libc = .glibc
                } else {
                    continue
                }
                let path = directory + "/" + text
                guard case .success(let target) = tree.resolve(path), tree.attributes(of: target.node).type == .regular
                else { continue }
                found.append(LoaderPresence(libc: libc, path: path))
            }
        }
        return found
    }

    /// The whole contents of a captured file, following symlinks.
    private func text(at path: String) -> String? {
        guard case .success(let found) = tree.resolve(path), let data = tree.content(of: found.node)?.data else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `KEY=value` and `KEY="value"` lines (os-release(5)).
    static func osReleaseFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
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
}
