/// Generators for issue 16's cost defects: tiny inputs that buy huge costs unless the reader
/// bounds them (docs/security.md). Finite ones return bytes; the endless ones write through a
/// `sink` until it throws (a closed pipe) or `count` is reached, so a benchmark can stream them
/// into `imageaudit -` without writing anything to disk.
public enum HostileCosts {
    /// One entry without its data: a header (and pax record for long names) only.
    static func header(_ name: String, _ kind: TarWriter.Kind, size: Int? = nil) -> [UInt8] {
        var writer = TarWriter()
        writer.add(name, kind, size: size)
        return writer.bytes
    }

    /// Defect 1: a docker save whose manifest lists one layer of `entries` files `times` times
    /// (the blob is stored once, as a hand-written manifest may do).
    public static func repeatedLayer(entries: Int, times: Int) throws -> [UInt8] {
        let layer = try FixtureLayer { tar in
            for index in 0..<entries { tar.add("d\(index % 100)/f\(index)", .file([]), mode: 0o755) }
        }
        let ids = Array(repeating: JSONText.string(layer.diffID), count: times).joined(separator: ",")
        let config = Array(
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/d0/f0\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\(ids)]}}").utf8)
        let layers = Array(repeating: "\"l/layer.tar\"", count: times).joined(separator: ",")
        let manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[\"hostile/repeated:latest\"],\"Layers\":[\(layers)]}]"
        return ImageTarballs.write([
            .file("manifest.json", Array(manifest.utf8)), .file("c.json", config), .file("l/layer.tar", layer.tar),
        ])
    }

    /// Defect 2: a dynamic ELF entrypoint with `count` distinct DT_NEEDED names none of which exists.
    public static func manyNeeded(count: Int) throws -> [UInt8] {
        var builder = ELFBuilder()
        builder.interpreter = "/lib64/ld-linux-x86-64.so.2"
        builder.needed = (0..<count).map { "libmissing\($0).so" }
        let program = builder.build()
        // A glibc loader and libc, so every name is really searched for.
        let layer = try FixtureLayer { tar in
            tar.add("app", .file(program), mode: 0o755)
            tar.add("lib64/", .directory)
            tar.add("lib64/ld-linux-x86-64.so.2", .file(FakeLibraries.glibcLoader()), mode: 0o755)
            tar.add("lib/", .directory)
            tar.add("lib/x86_64-linux-gnu/", .directory)
            tar.add("lib/x86_64-linux-gnu/libc.so.6", .file(FakeLibraries.glibcLibc()), mode: 0o755)
        }
        let image = FixtureImage(
            names: ["hostile/needed:latest"], runtimeJSON: "{\"Entrypoint\":[\"/app\"]}", layers: [layer])
        return ImageTarballs.write(ImageTarballs.dockerSave([image]))
    }

    /// Defect 3: `depth` nested directories, `a/`, `a/a/`, … in one layer.
    public static func deepDirectories(depth: Int) throws -> [UInt8] {
        let layer = try FixtureLayer { tar in
            var path = ""
            for _ in 0..<depth {
                path += "a/"
                tar.add(path, .directory)
            }
        }
        let image = FixtureImage(
            names: ["hostile/deep:latest"], runtimeJSON: "{\"Entrypoint\":[\"/a\"]}", layers: [layer])
        return ImageTarballs.write(ImageTarballs.dockerSave([image]))
    }

    /// Defect 6: one layer of `count` empty files (a real, finished image).
    public static func manyEmptyFiles(count: Int, sink: ([UInt8]) throws -> Void) throws {
        // The layer's size is known up front: every entry is one 512-byte header.
        let names = { (index: Int) in "f/\(index / 1000)/\(index)" }
        var layerSize = 1024
        for index in 0..<count { layerSize += header(names(index), .file([])).count }
        let config = Array(
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/f/0/0\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:\(String(repeating: "0", count: 64))\"]}}")
                .utf8)
        let manifest = Array(
            "[{\"Config\":\"c.json\",\"RepoTags\":[\"hostile/files:latest\"],\"Layers\":[\"l/layer.tar\"]}]".utf8)
        try sink(header("manifest.json", .file(manifest)))
        try sink(header("c.json", .file(config)))
        try sink(header("l/layer.tar", .file([]), size: layerSize))
        var chunk: [UInt8] = []
        for index in 0..<count {
            chunk += header(names(index), .file([]))
            if chunk.count >= 1 << 20 {
                try sink(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try sink(chunk + [UInt8](repeating: 0, count: 1024 + 1024))
    }

    /// Defect 6: outer tar headers without end (`count` nil), empty files with distinct names.
    public static func endlessOuter(count: Int? = nil, sink: ([UInt8]) throws -> Void) throws {
        var index = 0
        var chunk: [UInt8] = []
        while count.map({ index < $0 }) ?? true {
            chunk += header("e/\(index)", .file([]))
            index += 1
            if chunk.count >= 1 << 20 {
                try sink(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try sink(chunk + [UInt8](repeating: 0, count: 1024))
    }

    /// Defect 6: an outer entry `layer.tar` that claims 8 GiB and holds layer headers without
    /// end (`count` nil): what an endless stream on standard input looks like.
    public static func endlessLayer(count: Int? = nil, sink: ([UInt8]) throws -> Void) throws {
        try sink(header("layer.tar", .file([]), size: 0o77777777777))
        var index = 0
        var chunk: [UInt8] = []
        while count.map({ index < $0 }) ?? true {
            chunk += header("x/\(index)", .file([]))
            index += 1
            if chunk.count >= 1 << 20 {
                try sink(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try sink(chunk)
    }

    /// The whole output of a finite streaming generator, for tests.
    public static func collect(_ generator: (([UInt8]) throws -> Void) throws -> Void) rethrows -> [UInt8] {
        var bytes: [UInt8] = []
        try generator { bytes += $0 }
        return bytes
    }
}
