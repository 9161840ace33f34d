/// Ordering of symbol version names such as `GLIBC_2.34`, `GLIBCXX_3.4.30`, `CXXABI_1.3.13`.
public enum VersionName {
    /// The family (`GLIBC_`) and the numbers (`[2, 34]`), or nil numbers when the name has none.
    public static func split(_ name: String) -> (family: Substring, numbers: [Int]) {
        guard let firstDigit = name.firstIndex(where: \.isNumber) else { return (name[...], []) }
        let numbers = name[firstDigit...].split(separator: ".").map { Int($0) ?? 0 }
        return (name[..<firstDigit], numbers)
    }

    /// Whether `a` is older than `b`: by family name, then numerically component by component.
    public static func isOlder(_ a: String, _ b: String) -> Bool {
        let (familyA, numbersA) = split(a)
        let (familyB, numbersB) = split(b)
        if familyA != familyB { return familyA < familyB }
        return numbersA.lexicographicallyPrecedes(numbersB)
    }
}
