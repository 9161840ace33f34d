import Foundation
import ImageAuditCore

/// One tarball to audit: its path as it will be opened and reported, and the name its shard
/// is chosen by (``Shard``).
struct AuditInput: Sendable, Hashable {
    var path: String
    var shardKey: String
    /// Found by scanning a directory: read only if it is a regular file, refused unread otherwise.
    var scanned = false
    /// Found by listing a registry's tags: a tag that holds no image is skipped with a note.
    var listed = false
}

/// The command line's tarballs and directories, as the list of tarballs to audit.
///
/// A directory stands for every file below it (recursively, in sorted order) whose name ends in
/// `.tar`, `.tar.gz`, `.tgz` or `.tar.zst` (any case); hidden files and directories (`.name`)
/// are left out, and symbolic links to directories are not followed (no cycles). A directory
/// holding an image layout (`oci-layout`, or skopeo's `manifest.json` + `version`) is one
/// input, whether named or found below a directory (its insides are not walked). Files are
/// recognised by content afterwards, so a misnamed one still reads; other names are not
/// considered. A file named directly is always audited, whatever its name.
///
/// Scanning only calls `lstat`/`stat`, which never block. A FIFO, socket or device with a tarball
/// name is kept as an input and refused unread by the reader (`regularFilesOnly`); a dangling or
/// looping symlink is kept too and reported unreadable with its errno, never skipped silently.
enum AuditInputs {
    static let suffixes = [".tar", ".tar.gz", ".tgz", ".tar.zst"]

    /// The inputs, the directories that held no tarball (an error each), and whether any
    /// argument was a directory.
    static func expand(_ arguments: [String]) -> (inputs: [AuditInput], emptyDirectories: [String], sawDirectory: Bool)
    {
        var inputs: [AuditInput] = []
        var empty: [String] = []
        var sawDirectory = false
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory),
                isDirectory.boolValue, !ImageInput.isLayoutDirectory(argument)
            else {
                let base = argument == "-" ? "-" : (argument as NSString).lastPathComponent
                inputs.append(AuditInput(path: argument, shardKey: base.isEmpty ? argument : base))
                continue
            }
            sawDirectory = true
            let found = tarballs(under: argument)
            if found.isEmpty { empty.append(argument) }
            inputs += found
        }
        return (inputs, empty, sawDirectory)
    }

    /// The tarballs below `directory`, keyed by their path relative to it.
    private static func tarballs(under directory: String) -> [AuditInput] {
        let root = URL(fileURLWithPath: directory)
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
                options: [.skipsHiddenFiles])
        else { return [] }
        var relativePaths: [String] = []
        let prefix = root.standardizedFileURL.path
        for case let url as URL in walker {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                let isLink = (try? url.resourceValues(forKeys: [.isSymbolicLinkKey]))?.isSymbolicLink == true
                if !isLink && ImageInput.isLayoutDirectory(url.path) {
                    walker.skipDescendants()
                    let full = url.standardizedFileURL.path
                    if full.hasPrefix(prefix) {
                        relativePaths.append(String(full.dropFirst(prefix.count).drop { $0 == "/" }))
                    }
                }
                continue
            }
            let name = url.lastPathComponent.lowercased()
            guard suffixes.contains(where: { name.hasSuffix($0) }) else { continue }
            // Anything but a directory, or a symbolic link to one.
            guard !isDirectory(url.path) else { continue }
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(prefix) else { continue }
            relativePaths.append(String(full.dropFirst(prefix.count).drop { $0 == "/" }))
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return relativePaths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
            AuditInput(path: base + "/" + $0, shardKey: $0, scanned: true)
        }
    }

    /// Whether `path` is a directory, following symlinks; false for a dangling or looping one.
    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}
