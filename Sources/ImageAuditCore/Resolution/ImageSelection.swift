import ImageAuditOCI

/// An image plan with its config read, checked and decoded.
struct ConfiguredPlan: Sendable {
    var plan: ImagePlan
    var config: ImageConfig
    var configDigest: Digest

    init(_ plan: ImagePlan, contents: any TarballContents) throws(ImageReadError) {
        self.plan = plan
        let bytes = try BlobCheck.document(plan.config, role: "config", contents: contents)
        config = try JSONDocument.decode(
            ImageConfig.self, from: bytes, what: "config \(plan.config.path)",
            expected: "an image config (architecture, os, rootfs)")
        configDigest = JSONDocument.digest(of: bytes)
    }

    /// The platform: the config's word, as the kernel will run it.
    var platform: Platform { config.platform }
}

/// `--image` and `--platform` for tarballs that hold several images.
enum ImageSelection {
    static func byName(
        _ plans: [ImagePlan], wanted: String?, skipped: [SkippedManifest] = []
    ) throws(ImageReadError) -> [ImagePlan] {
        guard let wanted else { return plans }
        let target = normalized(wanted)
        let matches = { (name: String) in normalized(name) == target || name == wanted }
        let chosen = plans.filter { plan in plan.names.contains(where: matches) }
        guard chosen.isEmpty else { return chosen }
        if let other = skipped.first(where: { $0.names.contains(where: matches) }) {
            throw ImageReadError("\(wanted) in the tarball is a \(other.kind), not an image")
        }
        let names = plans.flatMap(\.names)
        let available = names.isEmpty ? "its images have no names" : "it has " + names.joined(separator: ", ")
        throw ImageReadError("no image named \(wanted) in the tarball; \(available)")
    }

    /// For `docker save` tarballs (which carry no index): keep the images of the platform asked
    /// for. OCI layouts chose by platform already; this also checks that their config agrees.
    static func byPlatform(_ plans: [ConfiguredPlan], wanted: Platform?) throws(ImageReadError) -> [ConfiguredPlan] {
        guard let wanted else { return plans }
        let chosen = plans.filter { $0.platform.matches(wanted) || ($0.plan.indexPlatform?.matches(wanted) ?? false) }
        guard chosen.isEmpty else { return chosen }
        let platforms = Set(plans.map(\.platform.description).filter { !$0.isEmpty }).sorted()
        let available =
            platforms.isEmpty ? "its images name no platform" : "it has " + platforms.joined(separator: ", ")
        throw ImageReadError("no image for \(wanted) in the tarball; \(available) (choose with --platform)")
    }

    /// Hands each skipped manifest to the image it is about, or else to the first image read,
    /// so that every note is reported once.
    static func attach(_ skipped: [SkippedManifest], to images: [Image]) -> [Image] {
        guard !images.isEmpty else { return images }
        var images = images
        for manifest in skipped {
            let about = images.firstIndex { manifest.subject != nil && $0.manifestDigest == manifest.subject }
            images[about ?? 0].skipped.append(manifest)
        }
        return images
    }

    /// A reference as Docker means it: `alpine` is `docker.io/library/alpine:latest`.
    static func normalized(_ reference: String) -> String {
        var name = reference
        var suffix = ""
        if let at = name.firstIndex(of: "@") {
            suffix = String(name[at...])
            name = String(name[..<at])
        }
        let lastComponent = name.split(separator: "/").last ?? ""
        if suffix.isEmpty && !lastComponent.contains(":") { name += ":latest" }
        let firstComponent = name.split(separator: "/").first ?? ""
        let hasRegistry =
            name.contains("/")
            && (firstComponent.contains(".") || firstComponent.contains(":") || firstComponent == "localhost")
        if !hasRegistry { name = "docker.io/" + name }
        if name.hasPrefix("docker.io/") && name.dropFirst("docker.io/".count).split(separator: "/").count == 1 {
            name = "docker.io/library/" + name.dropFirst("docker.io/".count)
        }
        if name.hasPrefix("index.docker.io/") { name = "docker.io/" + name.dropFirst("index.docker.io/".count) }
        return name + suffix
    }
}
