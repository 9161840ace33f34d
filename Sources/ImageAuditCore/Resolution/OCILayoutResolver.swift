import ImageAuditOCI

/// The images of an OCI image layout: `index.json` names manifests or nested indexes (one per
/// platform); for each top-level entry one manifest is chosen by platform.
struct OCILayoutResolver {
    let contents: any TarballContents
    /// The platform asked for with `--platform`, if any.
    let wanted: Platform?

    /// Nested indexes deeper than this are refused (real ones nest once).
    static let maxDepth = 4

    func plans() throws(ImageReadError) -> [ImagePlan] {
        try checkLayoutMarker()
        let entry = try contents.index.regularFile(at: "index.json", what: "document")
        let index = try JSONDocument.decode(
            Index.self, from: try contents.document(entry, what: "document"), what: "index.json",
            expected: "an OCI image index")
        var plans: [ImagePlan] = []
        var unmatched: [Platform] = []
        for descriptor in index.manifests where !Self.isAttestation(descriptor) {
            let names = Self.names(descriptor)
            var candidates: [Candidate] = []
            var visited: Set<Digest> = []
            try collect(descriptor, depth: 0, into: &candidates, visited: &visited)
            guard let chosen = try choose(candidates) else {
                unmatched += try candidates.map { (candidate) throws(ImageReadError) in try platform(of: candidate) }
                continue
            }
            if let existing = plans.firstIndex(where: { $0.manifestDigest == chosen.descriptor.digest }) {
                plans[existing].names += names.filter { !plans[existing].names.contains($0) }
            } else {
                plans.append(try plan(chosen, names: names))
            }
        }
        if plans.isEmpty {
            let wantedText = (wanted ?? .linuxAMD64).description
            guard !unmatched.isEmpty else { throw ImageReadError("index.json lists no image manifests") }
            let available = Set(unmatched.map(\.description)).sorted().joined(separator: ", ")
            throw ImageReadError(
                "no image for \(wantedText) in index.json; it has \(available) (choose with --platform)")
        }
        return plans
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
        /// The manifest when it had to be read already (no media type to tell it from an index).
        var manifest: Manifest?
    }

    /// Follows nested indexes down to manifests, skipping attestations.
    private func collect(
        _ descriptor: Descriptor, depth: Int, into candidates: inout [Candidate], visited: inout Set<Digest>
    )
        throws(ImageReadError)
    {
        guard depth <= Self.maxDepth else { throw ImageReadError("index \(descriptor.digest) is nested too deeply") }
        guard visited.insert(descriptor.digest).inserted else { return }
        if MediaType.isManifest(descriptor.mediaType) {
            candidates.append(Candidate(descriptor: descriptor))
            return
        }
        let bytes = try BlobFetcher(contents: contents).document(descriptor, role: "manifest")
        if MediaType.isIndex(descriptor.mediaType) || Self.hasKey("manifests", bytes) {
            let index = try JSONDocument.decode(
                Index.self, from: bytes, what: "index \(descriptor.digest)", expected: "an image index")
            for child in index.manifests where !Self.isAttestation(child) {
                try collect(child, depth: depth + 1, into: &candidates, visited: &visited)
            }
        } else {
            candidates.append(Candidate(descriptor: descriptor, manifest: try Self.manifest(bytes, descriptor)))
        }
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

    /// `--platform` if given; otherwise the only manifest, or linux/amd64 among several.
    private func choose(_ candidates: [Candidate]) throws(ImageReadError) -> Candidate? {
        if wanted == nil && candidates.count == 1 { return candidates.first }
        let target = wanted ?? .linuxAMD64
        for candidate in candidates where try platform(of: candidate).matches(target) { return candidate }
        return nil
    }

    /// The index's word for the platform, else the config's.
    private func platform(of candidate: Candidate) throws(ImageReadError) -> Platform {
        if let platform = candidate.descriptor.platform { return platform }
        let config = try manifest(of: candidate).config
        let bytes = try BlobFetcher(contents: contents).document(config, role: "config")
        return try JSONDocument.decode(
            ImageConfig.self, from: bytes, what: "config \(config.digest)", expected: "an image config"
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

    /// Docker's build attestations (SBOM, provenance) sit in the index as `unknown/unknown`.
    static func isAttestation(_ descriptor: Descriptor) -> Bool {
        if descriptor.annotations?["vnd.docker.reference.type"] == "attestation-manifest" { return true }
        return descriptor.platform?.os == "unknown" && descriptor.platform?.architecture == "unknown"
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
        let path = "blobs/\(descriptor.digest.algorithm)/\(descriptor.digest.encoded)"
        guard contents.index.contains(path) else {
            throw ImageReadError("\(role) \(descriptor.digest) is missing from the tarball (no \(path))")
        }
        let entry = try contents.index.regularFile(at: path, what: role)
        return BlobReference(
            path: path, entry: entry, digest: descriptor.digest, nameDigest: nil, size: descriptor.size,
            mediaType: descriptor.mediaType)
    }

    /// A small JSON blob, its size and digest checked.
    func document(_ descriptor: Descriptor, role: String) throws(ImageReadError) -> [UInt8] {
        try BlobCheck.document(reference(descriptor, role: role), role: role, contents: contents)
    }
}
