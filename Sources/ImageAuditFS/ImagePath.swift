/// Path helpers on display strings (paths from configs, `#!` lines, loader search lists), as
/// the kernel and the loaders combine them: no cleaning, no symlinks.
public enum ImagePath {
    /// `name` made absolute against `directory` (which is absolute), without cleaning.
    public static func absolute(_ name: String, in directory: String) -> String {
        if name.hasPrefix("/") { return name }
        return join(directory, name)
    }

    /// `directory/name` the way a loader concatenates (glibc: "" is the working directory).
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part, as the loaders compute `$ORIGIN`: `/` for `/x`, `.` for `x`.
    public static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component.
    public static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension LookupError {
    /// A chain line for a failed lookup of `path`: "/bin/bash does not exist",
    /// "/lib64/ld-linux-x86-64.so.2: /lib64 does not exist".
    public func describe(for path: String) -> String {
        if case .notFound(let missing) = self, PathBytes.display(missing) == path { return "\(path) does not exist" }
        return "\(path): " + explanation
    }

    /// Why the lookup failed: "/lib64 does not exist".
    public var explanation: String {
        switch self {
        case .notFound(let missing): "\(PathBytes.display(missing)) does not exist"
        case .notADirectory(let path): "\(PathBytes.display(path)) is not a directory"
        case .tooManySymlinks: "more than 40 symlinks (ELOOP)"
        case .searchDenied(let path): "\(PathBytes.display(path)) may not be searched by this user"
        }
    }
}
