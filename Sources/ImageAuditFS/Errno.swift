/// The errno values the audit models (an exec, a lookup, a loader's open), with the words each
/// tool prints for them: Go's `syscall.Errno` text (runc) and strerror(3) (glibc, musl, env).
// swift-format-ignore: AlwaysUseLowerCamelCase
public enum Errno: String, Error, Sendable, Hashable {
    case ENOENT, EACCES, ENOEXEC, ELOOP, ENOTDIR, EISDIR, ELIBBAD, EIO

    /// Go's `syscall.Errno` text, which runc's messages show.
    public var text: String {
        switch self {
        case .ENOENT: "no such file or directory"
        case .EACCES: "permission denied"
        case .ENOEXEC: "exec format error"
        case .ELOOP: "too many levels of symbolic links"
        case .ENOTDIR: "not a directory"
        case .EISDIR: "is a directory"
        case .ELIBBAD: "accessing a corrupted shared library"
        case .EIO: "input/output error"
        }
    }

    /// strerror(3) text (glibc and musl agree on these).
    public var strerror: String {
        switch self {
        case .ENOENT: "No such file or directory"
        case .EACCES: "Permission denied"
        case .ENOEXEC: "Exec format error"
        case .ELOOP: "Too many levels of symbolic links"
        case .ENOTDIR: "Not a directory"
        case .EISDIR: "Is a directory"
        case .ELIBBAD: "Accessing a corrupted shared library"
        case .EIO: "Input/output error"
        }
    }

    /// The number on Linux, as Python shows it in `[Errno 2]`.
    public var number: Int {
        switch self {
        case .ENOENT: 2
        case .EIO: 5
        case .ENOEXEC: 8
        case .EACCES: 13
        case .ENOTDIR: 20
        case .EISDIR: 21
        case .ELOOP: 40
        case .ELIBBAD: 80
        }
    }

    /// The errno the kernel returns for a failed lookup.
    public init(_ error: LookupError) {
        switch error {
        case .notFound: self = .ENOENT
        case .notADirectory: self = .ENOTDIR
        case .tooManySymlinks: self = .ELOOP
        case .searchDenied: self = .EACCES
        }
    }
}
