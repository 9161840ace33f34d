/// A shell pattern (XCU 2.13): `*`, `?`, `[…]`, and characters matched literally.
struct ShellPattern {
    enum Element: Equatable {
        case character(Character)
        case any
        case anyString
        case bracket(Set<Character>, ranges: [ClosedRange<Character>], negated: Bool)
    }

    var elements: [Element] = []

    mutating func addLiteral(_ text: String) {
        elements += text.map { .character($0) }
    }

    /// Adds unquoted pattern text.
    mutating func addPattern(_ text: String) {
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            let c = chars[index]
            switch c {
            case "*": elements.append(.anyString)
            case "?": elements.append(.any)
            case "\\" where index + 1 < chars.count:
                index += 1
                elements.append(.character(chars[index]))
            case "[":
                if let (element, next) = Self.bracket(chars, from: index) {
                    elements.append(element)
                    index = next
                    continue
                }
                elements.append(.character(c))
            default: elements.append(.character(c))
            }
            index += 1
        }
    }

    private static func bracket(_ chars: [Character], from start: Int) -> (Element, Int)? {
        var index = start + 1
        var negated = false
        if index < chars.count, chars[index] == "!" || chars[index] == "^" {
            negated = true
            index += 1
        }
        var set: Set<Character> = []
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while index < chars.count {
            let c = chars[index]
            if c == "]" && !first { return (.bracket(set, ranges: ranges, negated: negated), index + 1) }
            first = false
            if index + 2 < chars.count, chars[index + 1] == "-", chars[index + 2] != "]", c <= chars[index + 2] {
                ranges.append(c...chars[index + 2])
                index += 3
            } else {
                set.insert(c)
                index += 1
            }
        }
        return nil
    }

    /// True when unquoted `text` would undergo pathname expansion.
    static func hasGlob(_ text: String) -> Bool {
        var pattern = ShellPattern()
        pattern.addPattern(text)
        return pattern.elements.contains { element in
            if case .character = element { false } else { true }
        }
    }

    func matches(_ text: String) -> Bool {
        Self.match(elements[...], Array(text)[...])
    }

    private static func match(_ pattern: ArraySlice<Element>, _ text: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        switch first {
        case .anyString:
            var rest = text
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case .any:
            return !text.isEmpty && match(pattern.dropFirst(), text.dropFirst())
        case .character(let c):
            return text.first == c && match(pattern.dropFirst(), text.dropFirst())
        case .bracket(let set, let ranges, let negated):
            guard let c = text.first else { return false }
            let inside = set.contains(c) || ranges.contains { $0.contains(c) }
            return inside != negated && match(pattern.dropFirst(), text.dropFirst())
        }
    }

    /// `${x#p}`, `${x##p}`, `${x%p}`, `${x%%p}`.
    func remove(from text: String, operation: ParameterExpansion.Operation) -> String {
        let chars = Array(text)
        let lengths = Array(0...chars.count)
        switch operation {
        case .removeSmallestPrefix, .removeLargestPrefix:
            let order = operation == .removeSmallestPrefix ? lengths : lengths.reversed()
            for n in order where matches(String(chars[..<n])) { return String(chars[n...]) }
        case .removeSmallestSuffix, .removeLargestSuffix:
            let order = operation == .removeSmallestSuffix ? lengths : lengths.reversed()
            for n in order where matches(String(chars[(chars.count - n)...])) {
                return String(chars[..<(chars.count - n)])
            }
        default: break
        }
        return text
    }
}
