import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditTestSupport

/// Runs the loader model on `program` inside `image`.
func load(_ image: TestImage, _ program: String, options: LoaderOptions = LoaderOptions()) -> LoadReport {
    DynamicLoader.load(program: program, in: image.tree, options: options)
}

extension LoadReport {
    /// `name → path` for every loaded library (not the program), like `ldd`.
    var libraryPaths: [String: String] {
        var result: [String: String] = [:]
        for object in objects.dropFirst() { result[object.names.first ?? object.path] = object.path }
        return result
    }

    /// The outcome for the first `DT_NEEDED` entry called `name`.
    func dependency(_ name: String) -> Dependency? { dependencies.first { $0.name == name } }

    var fatalMessages: [String] { problems.filter { $0.severity == .fatal }.map(\.message) }
}

extension FakeLibraries {
    /// libver.so.1 defining versions FOO_1 and FOO_2 but not `bar` nor `data_sym`: the version
    /// check passes, the symbol lookup fails.
    static func libverWithoutBar() -> [UInt8] {
        var builder = ELFBuilder()
        builder.soname = "libver.so.1"
        builder.versionDefinitions = ["FOO_1", "FOO_2"]
        builder.symbols = [
            .init("foo", defined: true, version: "FOO_1"), .init("baz", defined: true, version: "FOO_2"),
        ]
        return builder.build()
    }
}
