import Dispatch
import Foundation
import ImageAuditArchive
import ImageAuditOCI
import Synchronization

/// A remote image shown to the resolvers as the OCI layout it amounts to: an `index.json` made
/// in memory naming its root manifest, and every blob at `blobs/sha256/<hex>`, fetched from the
/// ``BlobStore`` only when the resolver or the assembler asks for it.
final class BlobStoreLayout: TarballContents {
    let index: TarballIndex
    private let store: any BlobStore
    private let made: [String: [UInt8]]
    private let summarizer: LayerSummarizer
    private let jobs: Int
    /// Paths of blobs a descriptor named as manifests (fetched from the manifests endpoint).
    private let manifests = Mutex<Set<String>>([])

    init(_ image: RemoteImage, summarizer: LayerSummarizer, jobs: Int) throws(ImageReadError) {
        store = image.store
        self.summarizer = summarizer
        self.jobs = jobs
        let digest = JSONDocument.digest(of: image.root)
        let mediaType =
            Self.declaredMediaType(image.root) ?? image.mediaType.flatMap { $0.isEmpty ? nil : $0 }
            ?? MediaType.ociManifest
        let descriptor = Descriptor(
            mediaType: mediaType, digest: digest, size: Int64(image.root.count),
            annotations: [Descriptor.refNameAnnotation: image.name])
        let indexDocument = Index(manifests: [descriptor])
        var made: [String: [UInt8]] = [:]
        do {
            made["index.json"] = Array(try JSONEncoder().encode(indexDocument))
        } catch {
            throw ImageReadError("cannot describe the manifest of \(image.name)")
        }
        made["oci-layout"] = Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8)
        made[Self.path(of: digest)] = image.root
        var index = TarballIndex()
        for path in made.keys.sorted() {
            index.add(
                OuterEntry(path: path, kind: .regular, size: Int64(made[path]!.count), dataOffset: 0, linkTarget: nil))
        }
        self.index = index
        self.made = made
    }

    static func path(of digest: Digest) -> String { "blobs/\(digest.algorithm)/\(digest.encoded)" }

    /// Every digest is there: the store says when it is not.
    func blobEntry(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> OuterEntry {
        let path = Self.path(of: descriptor.digest)
        if role == "manifest" || MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType) {
            _ = manifests.withLock { $0.insert(path) }
        }
        if let bytes = made[path] {
            return OuterEntry(path: path, kind: .regular, size: Int64(bytes.count), dataOffset: 0, linkTarget: nil)
        }
        return OuterEntry(path: path, kind: .regular, size: descriptor.size, dataOffset: 0, linkTarget: nil)
    }

    func document(_ entry: OuterEntry, what: String) throws(ImageReadError) -> [UInt8] {
        if let bytes = made[entry.path] { return bytes }
        try TarballLimits.checkDocumentSize(entry, what: what)
        guard let digest = BlobNaming.contentAddress(entry.path) else {
            throw ImageReadError("\(what) \(entry.path) is missing from the registry")
        }
        let manifest = manifests.withLock { $0.contains(entry.path) }
        do {
            // One byte past the descriptor's size is enough to see that it lied.
            let limit = Int(min(TarballLimits.maxDocumentSize, max(entry.size, 0) + 1))
            return try store.open(digest, manifest: manifest, size: entry.size).readAll(limit: limit)
        } catch {
            throw ImageReadError.reading("\(what) \(entry.path)", error)
        }
    }

    /// Each layer streamed from the store by its own worker, `jobs` at a time, largest first.
    /// A layer whose ELF tables came too late is fetched a second time for them, as a tarball's
    /// byte range is read twice, so the report is the same as the tarball's. Once one layer
    /// failed the image cannot be read: the layers not begun yet are not fetched (a registry
    /// that is gone would make each of them wait out the retries).
    func summaries(of entries: [OuterEntry]) -> [Result<LayerSummary, ArchiveError>] {
        let order = entries.indices.sorted { entries[$0].size > entries[$1].size }
        let next = Atomic<Int>(0)
        let firstFailure = Mutex<ArchiveError?>(nil)
        let results = Mutex<[Result<LayerSummary, ArchiveError>?]>(Array(repeating: nil, count: entries.count))
        let summarizer = self.summarizer
        let store = self.store
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let claimed = next.add(1, ordering: .relaxed).oldValue
                guard claimed < order.count, firstFailure.withLock({ $0 == nil }) else { return }
                let entry = entries[order[claimed]]
                let result = Result { () throws(ArchiveError) -> LayerSummary in
                    guard let digest = BlobNaming.contentAddress(entry.path) else {
                        throw ArchiveError("not a blob of the registry")
                    }
                    var summary = try summarizer.summarize(try store.open(digest, manifest: false, size: entry.size))
                    if !summary.secondLooks.isEmpty,
                        let again = try? store.open(digest, manifest: false, size: entry.size)
                    {
                        summarizer.revisit(again, summary: &summary)
                    }
                    return summary
                }
                if case .failure(let error) = result { firstFailure.withLock { $0 = $0 ?? error } }
                results.withLock { $0[order[claimed]] = result }
            }
        }
        let workers = max(1, min(jobs, entries.count))
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        let unread = ArchiveError(
            "not read, since another layer failed first: " + (firstFailure.withLock { $0?.message } ?? "?"))
        return results.withLock { $0.map { $0 ?? .failure(unread) } }
    }

    /// The `mediaType` a manifest declares about itself.
    private static func declaredMediaType(_ manifest: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any])?["mediaType"] as? String
    }
}
