import Foundation
import ImageAuditArchive
import ImageAuditCore
import ImageAuditOCI

/// Reads `docker://HOST/REPO:TAG` (and `@sha256:…`) for the image reader: the root manifest by
/// its tag or digest, then manifests, configs and layers by digest, each streamed.
public struct RegistrySource: RemoteImageSource {
    public let options: RegistryOptions

    public init(options: RegistryOptions) {
        self.options = options
    }

    /// Every media type the reader knows, most specific first.
    static let accept = [
        MediaType.ociIndex, MediaType.ociManifest, MediaType.dockerManifestList, MediaType.dockerManifest,
    ].joined(separator: ", ")

    public func reads(_ argument: String) -> Bool { RegistryReference.isReference(argument) }

    public func open(_ argument: String) throws(ImageReadError) -> RemoteImage {
        do throws(RegistryError) {
            let reference = try RegistryReference(parsing: argument)
            guard let wanted = reference.manifestReference else {
                throw RegistryError("names a repository, not an image: give a tag (\(reference.name):TAG)")
            }
            let client = try RegistryClient.shared(options)
            let store = RegistryBlobs(client: client, reference: reference)
            let response = try store.manifest(wanted)
            let bytes = try response.body.body(limit: 16 << 20)
            if case .digest(let digest) = reference.target {
                let actual = Digest(sha256: SHA256.hash(bytes)).description
                guard actual == digest else {
                    throw RegistryError(
                        "manifest \(digest): sha256 mismatch: the registry sent bytes hashing to \(actual)")
                }
            }
            let mediaType = response.header("Content-Type").map { String($0.prefix { $0 != ";" }) }
            return RemoteImage(name: reference.name, root: bytes, mediaType: mediaType, store: store)
        } catch {
            throw ImageReadError(error.message)
        }
    }
}

/// One repository's manifests and blobs (``BlobStore``).
struct RegistryBlobs: BlobStore {
    let client: RegistryClient
    let reference: RegistryReference

    var scope: String { "repository:\(reference.repository):pull" }

    func manifest(_ tagOrDigest: String) throws(RegistryError) -> RegistryClient.Response {
        let response = try client.get(
            "/v2/\(reference.repository)/manifests/\(tagOrDigest)", on: reference, scope: scope,
            headers: [("Accept", RegistrySource.accept)])
        guard response.status == 200 else {
            throw RegistryClient.failure(response, what: "manifest \(reference.repository):\(tagOrDigest)")
        }
        return response
    }

    func open(_ digest: Digest, manifest: Bool, size: Int64?) throws(ArchiveError) -> any ByteStream {
        let client = self.client
        let reference = self.reference
        let scope = self.scope
        if manifest {
            return RegistryBlobStream(what: "manifest", size: size, retries: client.options.retries) {
                (_: Int64) throws(RegistryError) -> RegistryClient.Response in
                try client.get(
                    "/v2/\(reference.repository)/manifests/\(digest)", on: reference, scope: scope,
                    headers: [("Accept", RegistrySource.accept)])
            }
        }
        return RegistryBlobStream(what: "blob", size: size, retries: client.options.retries) {
            (offset: Int64) throws(RegistryError) -> RegistryClient.Response in
            try client.get(
                "/v2/\(reference.repository)/blobs/\(digest)", on: reference, scope: scope,
                headers: offset > 0 ? [("Range", "bytes=\(offset)-")] : [])
        }
    }
}
