/// `--shard K/N`: the K-th of N disjoint parts of a set of inputs, chosen by a stable hash of
/// each input's name, so N machines given the same inputs split them with no coordination and
/// every input lands in exactly one part (docs/scale.md).
///
/// The hash is FNV-1a 64 of the UTF-8 bytes of the input's *shard key*: its path relative to
/// the directory argument it was found in (`library/nginx/1.25.tar`), or its base name when
/// it was named directly. The key does not depend on where the export is mounted.
/// Input `i` belongs to part `fnv1a64(key) % N + 1`. K is 1-based, like `--shard 1/4` in
/// Playwright and Jest; a Kubernetes Indexed Job passes `$((JOB_COMPLETION_INDEX + 1))/N`.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// K: which part, 1...count.
    public let index: Int
    /// N: how many parts.
    public let count: Int

    /// Parses `K/N` with 1 ≤ K ≤ N (decimal, no sign, no spaces); nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index)
        else { return nil }
        self.index = index
        self.count = count
    }

    /// Whether the input with this shard key belongs to this part.
    public func contains(key: String) -> Bool {
        Int(Self.fnv1a64(key) % UInt64(count)) + 1 == index
    }

    /// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3) of the UTF-8 bytes.
    public static func fnv1a64(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    public var description: String { "\(index)/\(count)" }
}
