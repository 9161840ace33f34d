import ImageAuditFS

/// The errno values an exec can end in, with the text Go (runc) and strerror print for them.
enum Errno: String, Sendable, Hashable {
    case ENOENT, EACCES, ENOEXEC, ELOOP, ENOTDIR, ELIBBAD, EIO

    /// Go's `syscall.Errno` text, which runc's messages show.
    var text: String {
        switch self {
        case .ENOENT: "no such file or directory"
        case .EACCES: "permission denied"
        case .ENOEXEC: "exec format error"
        case .ELOOP: "too many levels of symbolic links"
        case .ENOTDIR: "not a directory"
        case .ELIBBAD: "accessing a corrupted shared library"
        case .EIO: "input/output error"
        }
    }

    /// strerror(3) text, which C programs such as env print.
    var strerror: String {
        switch self {
        case .ENOENT: "No such file or directory"
        case .EACCES: "Permission denied"
        case .ENOEXEC: "Exec format error"
        case .ELOOP: "Too many levels of symbolic links"
        case .ENOTDIR: "Not a directory"
        case .ELIBBAD: "Accessing a corrupted shared library"
        case .EIO: "Input/output error"
        }
    }

    init(_ error: LookupError) {
        switch error {
        case .notFound: self = .ENOENT
        case .notADirectory: self = .ENOTDIR
        case .tooManySymlinks: self = .ELOOP
        case .searchDenied: self = .EACCES
        }
    }
}

/// Path helpers on display strings (image paths from configs and `#!` lines).
enum ImagePath {
    /// `name` made absolute against `directory` (which is absolute), without cleaning.
    static func absolute(_ name: String, in directory: String) -> String {
        if name.hasPrefix("/") { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// A chain line for a failed lookup of `path`: "/bin/bash does not exist",
    /// "/lib64/ld-linux-x86-64.so.2: /lib64 does not exist".
    static func describe(_ error: LookupError, for path: String) -> String {
        if case .notFound(let missing) = error, PathBytes.display(missing) == path { return "\(path) does not exist" }
        return "\(path): " + describe(error)
    }

    /// Why a lookup failed: "/lib64 does not exist".
    static func describe(_ error: LookupError) -> String {
        switch error {
        case .notFound(let missing): "\(PathBytes.display(missing)) does not exist"
        case .notADirectory(let path): "\(PathBytes.display(path)) is not a directory"
        case .tooManySymlinks: "more than 40 symlinks (ELOOP)"
        case .searchDenied(let path): "\(PathBytes.display(path)) may not be searched by this user"
        }
    }
}

extension FileTree {
    /// Up to three non-directories in the image with this file name, for "the image has it at …".
    func files(named name: String) -> [String] {
        let wanted = Array(name.utf8)
        var found: [String] = []
        walk { path, node in
            guard found.count < 3, self.name(of: node) == wanted, attributes(of: node).type != .directory else { return }
            found.append(PathBytes.display(path))
        }
        return found
    }
}
