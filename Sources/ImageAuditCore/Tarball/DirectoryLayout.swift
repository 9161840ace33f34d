import Dispatch
import Foundation
import ImageAuditArchive
import Synchronization

/// An image layout in a directory rather than a tarball: an OCI image layout (`oci-layout`,
/// `index.json`, `blobs/`: `skopeo copy … oci:DIR`, buildx `type=oci,tar=false`, podman's
/// oci-dir), or skopeo's `dir:` layout (`manifest.json` of one image, blobs named by their
/// hex digest, `version`). The latter is shown to the resolvers as the OCI layout it amounts
/// to: an `index.json` naming its manifest, the blobs under `blobs/sha256/`.
final class DirectoryLayout: TarballContents {
    /// What kind of layout a directory holds, if any.
    enum Kind: Sendable {
        case oci
        case skopeoDir
    }

    let index: TarballIndex
    private let root: String
    /// Entry path → the file that holds it (skopeo dir: `blobs/sha256/<hex>` → `<hex>`).
    private let files: [String: String]
    /// Entries made up in memory (skopeo dir: `index.json`, `oci-layout`).
    private let made: [String: [UInt8]]
    private let summarizer: LayerSummarizer
    private let jobs: Int

    /// The layout a directory holds: `oci-layout` or `index.json` → OCI; `manifest.json` with
    /// `version` → skopeo dir; nil otherwise (a folder of tarballs, or nothing).
    static func kind(of directory: String) -> Kind? {
        let has = { (name: String) in FileManager.default.fileExists(atPath: directory + "/" + name) }
        if has("oci-layout") || (has("index.json") && has("blobs")) { return .oci }
        if has("manifest.json") && has("version") { return .skopeoDir }
        return nil
    }

    init(directory: String, kind: Kind, summarizer: LayerSummarizer, jobs: Int) throws(ImageReadError) {
        root = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        self.summarizer = summarizer
        self.jobs = jobs
        var files: [String: String] = [:]
        var made: [String: [UInt8]] = [:]
        var index = TarballIndex()
        switch kind {
        case .oci:
            for relative in Self.regularFiles(under: root) {
                files[relative] = root + "/" + relative
            }
        case .skopeoDir:
            let manifestPath = root + "/manifest.json"
            guard let manifest = FileManager.default.contents(atPath: manifestPath).map(Array.init) else {
                throw ImageReadError("\(manifestPath): cannot read the manifest")
            }
            let digest = "sha256:" + SHA256.hash(manifest).map { String(format: "%02x", $0) }.joined()
            let mediaType = Self.mediaType(of: manifest) ?? "application/vnd.oci.image.manifest.v1+json"
            let descriptor = "{\"mediaType\":\"\(mediaType)\",\"digest\":\"\(digest)\",\"size\":\(manifest.count)}"
            made["index.json"] = Array("{\"schemaVersion\":2,\"manifests\":[\(descriptor)]}".utf8)
            made["oci-layout"] = Array("{\"imageLayoutVersion\":\"1.0.0\"}".utf8)
            files["blobs/sha256/" + digest.dropFirst("sha256:".count)] = manifestPath
            for name in Self.regularFiles(under: root) where name.count == 64 && name.allSatisfy(\.isHexDigit) {
                files["blobs/sha256/" + name] = root + "/" + name
            }
        }
        for path in files.keys.sorted() {
            let size =
                ((try? FileManager.default.attributesOfItem(atPath: files[path]!))?[.size] as? NSNumber)?.int64Value
                ?? 0
            index.add(OuterEntry(path: path, kind: .regular, size: size, dataOffset: 0, linkTarget: nil))
        }
        for path in made.keys.sorted() {
            index.add(
                OuterEntry(path: path, kind: .regular, size: Int64(made[path]!.count), dataOffset: 0, linkTarget: nil))
        }
        self.index = index
        self.files = files
        self.made = made
    }

    func document(_ entry: OuterEntry, what: String) throws(ImageReadError) -> [UInt8] {
        if let bytes = made[entry.path] { return bytes }
        try TarballLimits.checkDocumentSize(entry, what: what)
        guard let path = files[entry.path] else {
            throw ImageReadError("\(what) \(entry.path) is missing from the layout")
        }
        do {
            let file = try OpenFile(path: path)
            return try FileRangeStream(file: file, range: 0..<file.size).readAll(
                limit: Int(TarballLimits.maxDocumentSize))
        } catch {
            throw ImageReadError.reading("\(what) \(entry.path)", error)
        }
    }

    /// Each layer file read by its own worker, `jobs` at a time, results in the order asked.
    func summaries(of entries: [OuterEntry]) -> [Result<LayerSummary, ArchiveError>] {
        let paths = entries.map { files[$0.path] }
        let next = Atomic<Int>(0)
        let results = Mutex<[Result<LayerSummary, ArchiveError>?]>(Array(repeating: nil, count: paths.count))
        let summarizer = self.summarizer
        let work: @Sendable (Int) -> Void = { _ in
            while true {
                let item = next.add(1, ordering: .relaxed).oldValue
                guard item < paths.count else { return }
                let result = Result { () throws(ArchiveError) -> LayerSummary in
                    guard let path = paths[item] else { throw ArchiveError("not a file of the layout") }
                    let file = try OpenFile(path: path)
                    return try summarizer.summarize(FileRangeStream(file: file, range: 0..<file.size))
                }
                results.withLock { $0[item] = result }
            }
        }
        let workers = max(1, min(jobs, paths.count))
        if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        return results.withLock { $0.map { $0 ?? .failure(ArchiveError("not read")) } }
    }

    /// Regular files below `root` (through symlinks), relative, sorted; hidden names included
    /// (the layout's own), directories not followed when they are links.
    private static func regularFiles(under root: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    /// The `mediaType` a manifest declares about itself.
    private static func mediaType(of manifest: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(manifest)) as? [String: Any])?["mediaType"] as? String
    }
}
