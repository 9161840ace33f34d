import Foundation

/// Paths of the committed test fixtures (found from this file, so they work from any directory).
public enum Fixtures {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/elf`, built by `scripts/make-elf-fixtures.sh`.
    public static let elfDirectory = root.appendingPathComponent("Tests/Fixtures/elf")

    /// The path of an ELF fixture, e.g. `glibc/hello`.
    public static func elfPath(_ name: String) -> String {
        elfDirectory.appendingPathComponent(name).path
    }

    /// The bytes of an ELF fixture.
    public static func elf(_ name: String) throws -> [UInt8] {
        try readFile(elfPath(name))
    }

    /// Every ELF fixture, as `glibc/hello`-style names, sorted.
    public static func allELFNames() -> [String] {
        ["glibc", "musl", "go"].flatMap { directory -> [String] in
            let names =
                (try? FileManager.default.contentsOfDirectory(
                    atPath: elfDirectory.appendingPathComponent(directory).path)) ?? []
            return names.map { "\(directory)/\($0)" }
        }.sorted()
    }

    /// The whole content of a file.
    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return [UInt8](data)
    }
}
