import ImageAuditOCI

/// The images of an OCI image layout: `index.json` names manifests or nested indexes (one per
/// platform); for each top-level entry one manifest is chosen by platform.
struct OCILayoutResolver {
    let contents: any TarballContents
    /// The platform asked for with `--platform`, if any.
    let wanted: Platform?

    /// Nested indexes deeper than this are refused (real ones nest once).
    static let maxDepth = 4

    func plans() throws(ImageReadError) -> TarballPlans {
        try checkLayoutMarker()
        let entry = try contents.index.regularFile(at: "index.json", what: "document")
        let index = try JSONDocument.decode(
            Index.self, from: try contents.document(entry, what: "document"), what: "index.json",
            expected: "an OCI image index")
        var plans: [ImagePlan] = []
        var search = Search()
        for descriptor in index.manifests {
            let names = Self.names(descriptor)
            var candidates: [Candidate] = []
            var visited: Set<Digest> = []
            try collect(descriptor, names: names, depth: 0, into: &candidates, search: &search, visited: &visited)
            guard let chosen = try choose(candidates, search: &search) else { continue }
            if let existing = plans.firstIndex(where: { $0.manifestDigest == chosen.descriptor.digest }) {
                plans[existing].names += names.filter { !plans[existing].names.contains($0) }
            } else {
                plans.append(try plan(chosen, names: names))
            }
        }
        if plans.isEmpty {
            let skipped = search.skipped.isEmpty ? "" : "; " + search.skipped.map(\.note).joined(separator: "; ")
            let available = Set(search.unmatched.map(\.description).filter { !$0.isEmpty }).sorted()
            guard !available.isEmpty else {
                var error = ImageReadError("index.json lists no image manifests\(skipped)")
                if !search.skipped.isEmpty { error.notAnImage = search.skipped.map(\.kind).joined(separator: ", ") }
                throw error
            }
            let wantedText = (wanted ?? .linuxAMD64).description
            throw ImageReadError(
                "no image for \(wantedText) in index.json; it has \(available.joined(separator: ", ")) "
                    + "(choose with --platform)")
        }
        return TarballPlans(images: plans, skipped: search.skipped)
    }

    /// What the walk over index.json found besides the images chosen.
    private struct Search {
        /// Manifests that hold no image.
        var skipped: [SkippedManifest] = []
        /// Platforms of image manifests not chosen.
        var unmatched: [Platform] = []

        mutating func skip(_ descriptor: Descriptor, names: [String], kind: String, manifest: Manifest? = nil) {
            guard !skipped.contains(where: { $0.digest == descriptor.digest }) else { return }
            skipped.append(
                SkippedManifest(
                    digest: descriptor.digest, names: names, kind: kind,
                    subject: NonImageManifest.subject(descriptor: descriptor, manifest: manifest, names: names)))
        }
    }

    private func checkLayoutMarker() throws(ImageReadError) {
        guard contents.index.contains("oci-layout") else { return }
        let entry = try contents.index.regularFile(at: "oci-layout", what: "document")
        let marker = try JSONDocument.decode(
            ImageLayoutMarker.self, from: try contents.document(entry, what: "document"), what: "oci-layout",
            expected: "an OCI layout marker")
        guard marker.imageLayoutVersion.hasPrefix("1.") else {
            throw ImageReadError("oci-layout: unsupported image layout version \(marker.imageLayoutVersion)")
        }
    }

    /// A manifest reachable from a top-level entry, read only when chosen (the blobs of other
    /// platforms may be absent: containerd exports only the platform asked for).
    private struct Candidate {
        var descriptor: Descriptor
        /// Its names in index.json: those of the top-level entry it is, none when nested.
        var names: [String]
        /// The manifest when it had to be read already (no media type to tell it from an index).
        var manifest: Manifest?
    }

    /// Follows nested indexes down to manifests; entries that say they hold no image
    /// (attestations, artifacts) are skipped without being read.
    private func collect(
        _ descriptor: Descriptor, names: [String], depth: Int, into candidates: inout [Candidate],
        search: inout Search, visited: inout Set<Digest>
    )
        throws(ImageReadError)
    {
        guard depth <= Self.maxDepth else { throw ImageReadError("index \(descriptor.digest) is nested too deeply") }
        guard visited.insert(descriptor.digest).inserted else { return }
        // The names of a top-level entry are its own, not its nested manifests'.
        let own = depth == 0 ? names : []
        if let kind = NonImageManifest.kind(of: descriptor) {
            search.skip(descriptor, names: own, kind: kind, manifest: referrer(descriptor))
            return
        }
        if MediaType.isManifest(descriptor.mediaType) {
            candidates.append(Candidate(descriptor: descriptor, names: own))
            return
        }
        let bytes = try BlobFetcher(contents: contents).document(descriptor, role: "manifest")
        if MediaType.isIndex(descriptor.mediaType) || Self.hasKey("manifests", bytes) {
            let index = try JSONDocument.decode(
                Index.self, from: bytes, what: "index \(descriptor.digest)", expected: "an image index")
            for child in index.manifests {
                try collect(
                    child, names: names, depth: depth + 1, into: &candidates, search: &search, visited: &visited)
            }
        } else {
            candidates.append(
                Candidate(descriptor: descriptor, names: own, manifest: try Self.manifest(bytes, descriptor)))
        }
    }

    /// An artifact's manifest, read for its `subject` only. It is not audited: when its blob is
    /// missing or does not read, the note just says less.
    private func referrer(_ descriptor: Descriptor) -> Manifest? {
        guard descriptor.artifactType != nil, MediaType.isManifest(descriptor.mediaType) else { return nil }
        return try? Self.manifest(BlobFetcher(contents: contents).document(descriptor, role: "manifest"), descriptor)
    }

    private static func manifest(_ bytes: [UInt8], _ descriptor: Descriptor) throws(ImageReadError) -> Manifest {
        try JSONDocument.decode(
            Manifest.self, from: bytes, what: "manifest \(descriptor.digest)", expected: "an image manifest")
    }

    private func manifest(of candidate: Candidate) throws(ImageReadError) -> Manifest {
        if let manifest = candidate.manifest { return manifest }
        let bytes = try BlobFetcher(contents: contents).document(candidate.descriptor, role: "manifest")
        return try Self.manifest(bytes, candidate.descriptor)
    }

    /// `--platform` if given; otherwise the only manifest, or linux/amd64 among several. A
    /// manifest is read only when its index entry names no platform or the platform matches;
    /// one that holds no image is skipped and the search goes on.
    private func choose(_ candidates: [Candidate], search: inout Search) throws(ImageReadError) -> Candidate? {
        let target = wanted ?? .linuxAMD64
        let any = wanted == nil && candidates.count == 1
        for var candidate in candidates {
            if !any, let platform = candidate.descriptor.platform, !platform.matches(target) {
                search.unmatched.append(platform)
                continue
            }
            let manifest = try manifest(of: candidate)
            candidate.manifest = manifest
            if let kind = NonImageManifest.kind(of: manifest) {
                search.skip(candidate.descriptor, names: candidate.names, kind: kind, manifest: manifest)
                continue
            }
            if !any, candidate.descriptor.platform == nil {
                let platform = try configPlatform(manifest)
                guard platform.matches(target) else {
                    search.unmatched.append(platform)
                    continue
                }
            }
            return candidate
        }
        return nil
    }

    /// The config's word for the platform, for index entries that give none.
    private func configPlatform(_ manifest: Manifest) throws(ImageReadError) -> Platform {
        let bytes = try BlobFetcher(contents: contents).document(manifest.config, role: "config")
        return try JSONDocument.decode(
            ImageConfig.self, from: bytes, what: "config \(manifest.config.digest)", expected: "an image config"
        ).platform
    }

    private func plan(_ candidate: Candidate, names: [String]) throws(ImageReadError) -> ImagePlan {
        let fetcher = BlobFetcher(contents: contents)
        let manifest = try manifest(of: candidate)
        return ImagePlan(
            names: names, format: .ociLayout, manifestDigest: candidate.descriptor.digest,
            config: try fetcher.reference(manifest.config, role: "config"),
            layers: try manifest.layers.map { (layer) throws(ImageReadError) in
                try fetcher.reference(layer, role: "layer")
            },
            indexPlatform: candidate.descriptor.platform)
    }

    /// containerd's full name (`docker.io/library/alpine:3.19`), else the OCI ref name.
    static func names(_ descriptor: Descriptor) -> [String] {
        let annotations = descriptor.annotations ?? [:]
        if let name = annotations[Descriptor.containerdImageNameAnnotation] { return [name] }
        if let name = annotations[Descriptor.refNameAnnotation] { return [name] }
        return []
    }

    private static func hasKey(_ key: String, _ bytes: [UInt8]) -> Bool {
        bytes.count < 1 << 20 && String(decoding: bytes, as: UTF8.self).contains("\"\(key)\"")
    }
}

/// Finds blobs by digest in `blobs/<algorithm>/<hex>` and checks them against their descriptor.
struct BlobFetcher {
    let contents: any TarballContents

    func reference(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> BlobReference {
        let entry = try contents.blobEntry(descriptor, role: role)
        return BlobReference(
            path: "blobs/\(descriptor.digest.algorithm)/\(descriptor.digest.encoded)", entry: entry,
            digest: descriptor.digest, size: descriptor.size,
            mediaType: descriptor.mediaType)
    }

    /// A small JSON blob, its size and digest checked.
    func document(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> [UInt8] {
        try BlobCheck.document(reference(descriptor, role: role), role: role, contents: contents)
    }
}
