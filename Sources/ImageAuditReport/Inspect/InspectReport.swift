import ImageAuditCheck
import ImageAuditCore
import ImageAuditELF
import ImageAuditFS
import ImageAuditOCI

/// The JSON form of `inspect`: one object per image.
public struct InspectReport: Encodable {
    var source: String
    var names: [String]
    var format: String
    var platform: String
    var manifestDigest: String?
    var configDigest: String
    var distribution: Distribution?
    /// `glibc`, `musl` or `none`: the C library a dynamic program gets (the audit's identity).
    var libc: String
    /// A glibc loader beside musl (gcompat).
    var glibcCompat: Bool
    var loaders: [String]
    var entrypoint: [String]?
    var cmd: [String]?
    var env: [String]?
    var workingDir: String?
    var user: String?
    var healthcheck: Healthcheck?
    var layerCount: Int
    var fileCount: Int
    var layers: [Layer]
    var mergeIssues: [String]
    var files: [File]?

    struct Layer: Encodable {
        var path: String
        var digest: String
        var diffID: String
        var compression: String
        var size: Int64
        var uncompressedSize: Int64
        var entries: Int
    }

    /// One node of the merged tree, as `--files` lists it.
    struct File: Encodable {
        var path: String
        var type: String
        var mode: String
        var uid: UInt32
        var gid: UInt32
        var size: Int64
        var target: String?
    }

    public init(_ image: Image, identity: ImageIdentity, includeFiles: Bool) {
        source = image.source
        names = image.names
        format = image.format.rawValue
        platform = image.platform.description
        manifestDigest = image.manifestDigest?.description
        configDigest = image.configDigest.description
        distribution = identity.distribution
        loaders = identity.loaders.map(\.path)
        libc = identity.libcName
        glibcCompat = identity.glibcCompat
        let runtime = image.runtime
        entrypoint = runtime.entrypoint
        cmd = runtime.cmd
        env = runtime.env
        workingDir = runtime.workingDir
        user = runtime.user
        healthcheck = runtime.healthcheck
        layerCount = image.layers.count
        fileCount = image.tree.nodeCount
        layers = image.layers.map {
            Layer(
                path: $0.path, digest: $0.digest.description, diffID: $0.diffID.description,
                compression: $0.compression.rawValue, size: $0.size, uncompressedSize: $0.uncompressedSize,
                entries: $0.entryCount)
        }
        mergeIssues = image.mergeIssues.map(\.description)
        files = includeFiles ? Self.files(image.tree) : nil
    }

    static func files(_ tree: FileTree) -> [File] {
        var files: [File] = []
        tree.walk { path, node in
            let attributes = tree.attributes(of: node)
            files.append(
                File(
                    path: PathBytes.display(path), type: attributes.type.rawValue, mode: mode(attributes.permissions),
                    uid: attributes.uid, gid: attributes.gid, size: attributes.size,
                    target: attributes.symlinkTarget.map(PathBytes.display)))
        }
        return files
    }

    /// Permission bits as four octal digits: `0755`, `4755`.
    static func mode(_ permissions: UInt32) -> String {
        let digits = String(permissions & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The whole `inspect --format json` document.
    public static func json(_ reports: [InspectReport]) throws -> String {
        try ReportJSON.encode(["images": reports], pretty: true) + "\n"
    }
}
