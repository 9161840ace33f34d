import Foundation
import ImageAuditArchive
import ImageAuditCore
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// How a test tarball is handed to the reader: each takes a different path through it.
enum ReadMode: String, CaseIterable, CustomTestStringConvertible {
    /// A plain tar in a regular file: index pass, then byte ranges read in parallel.
    case randomAccess
    /// A plain tar read once, front to back, in small blocks (what standard input gets).
    case streamed
    /// The tarball gzip-compressed in a regular file: one pass through the decompressor.
    case gzipOuter

    var testDescription: String { rawValue }
}

extension ContentRequirements {
    /// What these reader tests keep whole: a few files by path, loaders by name. The audit's own
    /// declaration is tested in ImageAuditCheckTests.
    static let readerTests = ContentRequirements(
        [
            .init(.path("etc/passwd"), cap: 4 << 20, reason: "test"),
            .init(.path("etc/os-release"), cap: 64 << 10, reason: "test"),
            .init(.name("ld-musl-*"), cap: 8 << 20, reason: "test"),
        ],
        totalBudget: 64 << 20)

    /// `#!` scripts by their first bytes.
    static let scripts = ContentRequirements([.init(.head(Array("#!".utf8)), cap: 64 << 10, reason: "test")])
}

extension ImageReader.Options {
    /// The default options with the test requirements.
    static let readerTests = ImageReader.Options(contentRequirements: .readerTests)
}

/// Reads a tarball the way `mode` says.
func readImages(_ tar: [UInt8], mode: ReadMode, options: ImageReader.Options = .readerTests, jobs: Int = 2) throws
    -> [Image]
{
    var options = options
    options.jobs = jobs
    let reader = ImageReader(options: options)
    switch mode {
    case .randomAccess:
        return try withTemporaryFile(tar) { try reader.read($0) }
    case .streamed:
        return try reader.read(stream: MemoryStream(tar, blockSize: 3001), source: "-")
    case .gzipOuter:
        return try withTemporaryFile(try ExternalTools.compress(tar, with: .gzip), name: "image.tar.gz") {
            try reader.read($0)
        }
    }
}

/// The error reading a tarball gives, in every mode; records an issue when it reads.
func readError(
    _ tar: [UInt8], modes: [ReadMode] = ReadMode.allCases, options: ImageReader.Options = .readerTests,
    jobs: [Int] = [2], sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String] {
    try modes.flatMap { mode in
        try jobs.map { jobs in
            do {
                let images = try readImages(tar, mode: mode, options: options, jobs: jobs)
                Issue.record(
                    "\(mode), \(jobs) jobs: read \(images.count) images, expected an error",
                    sourceLocation: sourceLocation)
                return ""
            } catch let error as ImageReadError {
                return error.message
            }
        }
    }
}

/// Every path of a merged tree, in walk order.
func paths(_ tree: FileTree) -> [String] {
    var result: [String] = []
    tree.walk { path, _ in result.append(PathBytes.display(path)) }
    return result
}

/// The attributes at a path (symlinks not followed).
func attributes(_ tree: FileTree, _ path: String) -> FileAttributes? {
    guard case .success(let found) = tree.resolve(path, followFinalSymlink: false) else { return nil }
    return tree.attributes(of: found.node)
}

/// A small two-layer image used by many tests: a base with /bin, /etc/passwd and a file that
/// the second layer deletes with a whiteout.
func sampleImage(names: [String] = ["sample:1"], compression: ExternalTools.Compressor? = nil) throws -> FixtureImage {
    let base = try FixtureLayer(compression: compression) { tar in
        tar.add("bin/", .directory)
        tar.add("bin/app", .file(Array("#!/bin/sh\necho hi\n".utf8)), mode: 0o755)
        tar.add("etc/", .directory)
        tar.add("etc/passwd", .file(Array("root:x:0:0:root:/root:/bin/sh\n".utf8)))
        tar.add("tmp/old", .file(Array("old".utf8)))
    }
    let top = try FixtureLayer(compression: compression) { tar in
        tar.add("tmp/.wh.old", .file([]))
        tar.add("bin/tool", .symlink("app"))
    }
    return FixtureImage(
        names: names, runtimeJSON: "{\"Entrypoint\":[\"/bin/app\"],\"Env\":[\"PATH=/bin\"],\"User\":\"1000\"}",
        layers: [base, top])
}

let sampleImagePaths = ["/bin", "/bin/app", "/bin/tool", "/etc", "/etc/passwd", "/tmp"]
