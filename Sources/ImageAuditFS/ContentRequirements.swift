import ImageAuditELF

/// Which file contents a reader keeps whole, declared by the code that reads them (the audit's
/// rules, the loader model) and applied alike by the layer reader and by test fixtures, so a
/// rule can never rely on bytes a real read would not keep.
///
/// Everything not named here is summarised: attributes, the first ``FileContent/headLimit``
/// bytes and, for ELF files, the parsed tables.
public struct ContentRequirements: Sendable, Hashable {
    /// One kind of file to keep, up to `cap` bytes (a bigger file is kept without its data).
    public struct Rule: Sendable, Hashable {
        /// Which files the rule is about.
        public enum Match: Sendable, Hashable {
            /// A path relative to the image root, no leading `/`; `*` matches within one
            /// component (`etc/ld.so.conf.d/*`).
            case path(String)
            /// A file name anywhere; `*` matches any run of bytes (`ld-musl-*`).
            case name(String)
            /// A file whose first bytes are these (`#!`), decided once its head has been read.
            case head([UInt8])
        }

        public var match: Match
        /// The largest file kept whole.
        public var cap: Int
        /// Who reads it and why (for `docs/architecture.md` and error messages).
        public var reason: String

        /// The pattern's bytes, split into components for `.path`: compiled once, matched per file.
        fileprivate let pattern: [[UInt8]]

        public init(_ match: Match, cap: Int, reason: String) {
            self.match = match
            self.cap = cap
            self.reason = reason
            switch match {
            case .path(let text): pattern = Array(text.utf8).split(separator: UInt8(ascii: "/")).map(Array.init)
            case .name(let text): pattern = [Array(text.utf8)]
            case .head(let bytes): pattern = [bytes]
            }
        }
    }

    /// The rules, in no particular order: the largest cap of all matching rules applies.
    public private(set) var rules: [Rule]
    /// At most this many bytes kept whole over one read of a tarball, whatever the image holds;
    /// files past it are kept without data and marked ``FileContent/Withheld/budget``.
    public var totalBudget: Int

    public init(_ rules: [Rule] = [], totalBudget: Int = 0) {
        self.rules = rules
        self.totalBudget = totalBudget
    }

    /// Nothing kept whole.
    public static let none = ContentRequirements()

    /// Both declarations: every rule of each, the budgets added.
    public func merging(_ other: ContentRequirements) -> ContentRequirements {
        ContentRequirements(rules + other.rules, totalBudget: totalBudget + other.totalBudget)
    }

    /// Whether any rule looks at file heads (then the reader decides after the first bytes).
    public var hasHeadRules: Bool {
        rules.contains { if case .head = $0.match { true } else { false } }
    }

    /// The cap for the file at `components` (a cleaned path) from its path and name, or nil.
    public func limit(forPath components: [[UInt8]]) -> Int? {
        guard let name = components.last else { return nil }
        var best: Int?
        for rule in rules {
            let matches: Bool
            switch rule.match {
            case .path:
                matches =
                    rule.pattern.count == components.count
                    && zip(rule.pattern, components).allSatisfy { Glob.matches($0[...], $1[...]) }
            case .name: matches = Glob.matches(rule.pattern[0][...], name[...])
            case .head: matches = false
            }
            if matches { best = max(best ?? 0, rule.cap) }
        }
        return best
    }

    /// The cap for a file whose first bytes are `head` from the head rules, or nil.
    public func limit(forHead head: [UInt8]) -> Int? {
        var best: Int?
        for rule in rules {
            if case .head = rule.match, head.starts(with: rule.pattern[0]) { best = max(best ?? 0, rule.cap) }
        }
        return best
    }
}

/// `*`-only globbing over bytes, enough for file names and path components.
enum Glob {
    static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let star = pattern.firstIndex(of: UInt8(ascii: "*")) else { return pattern.elementsEqual(text) }
        let head = pattern[..<star]
        guard text.starts(with: head) else { return false }
        let rest = pattern[(star + 1)...]
        var start = text.startIndex + head.count
        while true {
            if matches(rest, text[start...]) { return true }
            if start == text.endIndex { return false }
            start += 1
        }
    }
}

extension FileContent {
    /// What a real read keeps of a file with these bytes at `components`: its head, the whole
    /// file when a rule asks for it and it fits the cap, the parsed ELF file. Test fixtures build
    /// contents with this; the layer reader makes the same choice while the bytes stream by.
    public static func kept(
        _ bytes: [UInt8], at components: [[UInt8]], under requirements: ContentRequirements
    ) -> FileContent {
        let head = Array(bytes.prefix(headLimit))
        let cap = [requirements.limit(forPath: components), requirements.limit(forHead: head)].compactMap { $0 }.max()
        var content = FileContent(head: head)
        if let cap {
            if bytes.count <= cap { content.data = bytes } else { content.withheld = .cap(cap) }
        }
        if bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) {
            content.elf = Result { () throws(ELFError) in try ELFFile(parsing: bytes) }
        }
        return content
    }
}
