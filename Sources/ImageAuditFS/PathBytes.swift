/// Helpers for paths kept as raw bytes: image paths need not be UTF-8 and must keep their bytes.
public enum PathBytes {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")

    /// The non-empty components of a path; `.` components are dropped, `..` kept.
    public static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: slash, omittingEmptySubsequences: true)
            .map(Array.init)
            .filter { $0 != [dot] }
    }

    /// The components of a stored name cleaned like Go's `filepath.Clean` rooted at `/`: `.` and
    /// empty components vanish, `..` removes the previous component and stops at the root.
    public static func lexicallyCleaned(_ path: [UInt8]) -> [[UInt8]] {
        var cleaned: [[UInt8]] = []
        for component in components(path) {
            if isParent(component) {
                _ = cleaned.popLast()
            } else {
                cleaned.append(component)
            }
        }
        return cleaned
    }

    /// Whether a component is `..`.
    static func isParent(_ component: [UInt8]) -> Bool {
        component.count == 2 && component[0] == dot && component[1] == dot
    }

    /// Joins components into an absolute path (`/` for none).
    public static func absolute(_ components: [[UInt8]]) -> [UInt8] {
        if components.isEmpty { return [slash] }
        var path: [UInt8] = []
        for component in components {
            path.append(slash)
            path.append(contentsOf: component)
        }
        return path
    }

    /// A path for people to read: invalid UTF-8 is shown as U+FFFD, the bytes are kept elsewhere.
    public static func display(_ path: [UInt8]) -> String {
        String(decoding: path, as: UTF8.self)
    }
}
