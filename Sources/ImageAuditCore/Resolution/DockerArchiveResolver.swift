import ImageAuditArchive
import ImageAuditOCI

/// The images of a tarball with a `manifest.json` (every `docker save`, skopeo's and podman's
/// `docker-archive`, kaniko): one entry per image, with paths to its config and layers.
enum DockerArchiveResolver {
    static func plans(_ contents: any TarballContents) throws(ImageReadError) -> [ImagePlan] {
        let index = contents.index
        let manifestEntry = try index.regularFile(at: "manifest.json", what: "document")
        let bytes = try contents.document(manifestEntry, what: "document")
        let entries = try JSONDocument.decode(
            [DockerArchiveManifestEntry].self, from: bytes, what: "manifest.json",
            expected: "a docker save manifest (an array of {Config, RepoTags, Layers})")
        guard !entries.isEmpty else { throw ImageReadError("manifest.json lists no images") }
        let isOCI = index.contains("index.json") && index.contains("oci-layout")
        return try entries.enumerated().map { (number, entry) throws(ImageReadError) in
            let what = "manifest.json image \(number + 1)"
            let config = try reference(entry.config, role: "config of \(what)", index: index)
            let layers = try entry.layers.map { (path) throws(ImageReadError) in
                try reference(path, role: "layer of \(what)", index: index)
            }
            return ImagePlan(
                names: entry.repoTags ?? [], format: isOCI ? .dockerSaveOCI : format(entry, index: index),
                manifestDigest: nil, config: config, layers: layers, indexPlatform: nil)
        }
    }

    /// Which tool wrote it, from how it names things.
    private static func format(_ entry: DockerArchiveManifestEntry, index: TarballIndex) -> TarballFormat {
        let configName = entry.config.split(separator: "/").last ?? ""
        if configName.hasPrefix("sha256:") || entry.layers.contains(where: { $0.hasSuffix(".tar.gz") }) {
            return .kaniko
        }
        let legacy = entry.layers.contains { path in
            path.hasSuffix("/layer.tar") && index.entries[TarballIndex.clean(path)]?.kind == .regular
        }
        return legacy ? .dockerSave : .dockerArchive
    }

    /// Only a content-addressed path (`blobs/sha256/<hex>`, Docker 25 and later) claims a
    /// digest. Other names are only names: `docker load` and skopeo take `config.json` or a
    /// `<hex>.json` that is not the config's hash as they are (the image ID is the hash of the
    /// config's bytes), and layers are held to the config's diff_ids whatever they are called.
    private static func reference(
        _ path: String, role: String, index: TarballIndex
    ) throws(ImageReadError)
        -> BlobReference
    {
        let entry = try index.regularFile(at: path, what: role)
        let digest = BlobNaming.contentAddress(entry.path) ?? BlobNaming.contentAddress(TarballIndex.clean(path))
        return BlobReference(path: path, entry: entry, digest: digest)
    }
}
