import ImageAuditArchive
import ImageAuditOCI

/// Where an image comes from when the argument names no file but a remote store (a registry:
/// `docker://HOST/REPO:TAG`). Core knows no HTTP: a module that does (ImageAuditRegistry)
/// implements this, and the reader resolves and reads what it hands back exactly as it reads
/// an OCI layout: the same platform choice, the same digest checks, the same layer summariser.
public protocol RemoteImageSource: Sendable {
    /// Whether this source reads `argument`.
    func reads(_ argument: String) -> Bool
    /// The image `argument` names: its root manifest (or index) and where its blobs come from.
    func open(_ argument: String) throws(ImageReadError) -> RemoteImage
}

/// Fetches the blobs of one image by digest. The bytes are checked by the reader (sizes and
/// digests, on the fly for layers), never trusted.
public protocol BlobStore: Sendable {
    /// The bytes of a manifest or index (`manifest`) or of a blob (config, layer), streamed.
    /// Each call opens a new stream, read by one thread.
    func open(_ digest: Digest, manifest: Bool, size: Int64?) throws(ArchiveError) -> any ByteStream
}

/// A remote image before resolution: what its reference resolved to.
public struct RemoteImage: Sendable {
    /// The name reports give it (`HOST:PORT/REPO:TAG`).
    public var name: String
    /// The manifest or index the reference names, as served.
    public var root: [UInt8]
    /// The media type the store gave for it (the `Content-Type`), if any.
    public var mediaType: String?
    public var store: any BlobStore

    public init(name: String, root: [UInt8], mediaType: String?, store: any BlobStore) {
        self.name = name
        self.root = root
        self.mediaType = mediaType
        self.store = store
    }
}
