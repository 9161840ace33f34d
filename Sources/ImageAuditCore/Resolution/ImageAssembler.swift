import ImageAuditArchive
import ImageAuditFS
import ImageAuditOCI

/// Reads the layers of the chosen images (each blob once, even when images share it), checks
/// them against their descriptors and the configs' diff IDs, and merges each image's layers in
/// manifest order.
struct ImageAssembler {
    let contents: any TarballContents
    let source: String
    var limits = ReadLimits()

    func assemble(_ plans: [ConfiguredPlan]) throws(ImageReadError) -> [Image] {
        var blobs: [OuterEntry] = []
        var position: [OuterEntry: Int] = [:]
        for plan in plans {
            try checkLayerCount(plan)
            for layer in plan.plan.layers where position[layer.entry] == nil {
                position[layer.entry] = blobs.count
                blobs.append(layer.entry)
            }
        }
        var summaries = contents.summaries(of: blobs)
        var usesLeft = Array(repeating: 0, count: blobs.count)
        for plan in plans { for layer in plan.plan.layers { usesLeft[position[layer.entry] ?? 0] += 1 } }
        var images: [Image] = []
        for plan in plans {
            let indices = plan.plan.layers.map { position[$0.entry] ?? 0 }
            images.append(
                try image(
                    plan,
                    summaryAt: { number in
                        let index = indices[number]
                        let summary = summaries[index]
                        // Once applied, the tree holds what it needs: a summary no later image uses goes.
                        usesLeft[index] -= 1
                        if usesLeft[index] == 0 { summaries[index] = .failure(ArchiveError("already merged")) }
                        return summary
                    }))
        }
        return images
    }

    private func checkLayerCount(_ plan: ConfiguredPlan) throws(ImageReadError) {
        guard plan.plan.layers.count <= limits.layers else {
            throw ImageReadError(
                ReadLimits.exceeded("\(plan.plan.layers.count) layers in one image", limits.layers, flag: "max-layers"))
        }
        let diffIDs = plan.config.rootfs?.diffIDs.count ?? 0
        guard diffIDs == plan.plan.layers.count else {
            throw ImageReadError(
                "config \(plan.plan.config.path) lists \(diffIDs) diff_ids for \(plan.plan.layers.count) layers")
        }
    }

    private func image(
        _ plan: ConfiguredPlan, summaryAt: (Int) -> Result<LayerSummary, ArchiveError>
    )
        throws(ImageReadError) -> Image
    {
        var tree = FileTree()
        var issues: [MergeIssue] = []
        var layers: [ImageLayer] = []
        let diffIDs = plan.config.rootfs?.diffIDs ?? []
        // Merging costs per entry applied: a layer listed many times is read once but applied
        // each time, so the entry limit holds for what one image applies too.
        var applied = 0
        for (number, reference) in plan.plan.layers.enumerated() {
            let outcome = summaryAt(number)
            let role = "layer \(number + 1)"
            if let mediaType = reference.mediaType, !mediaType.isEmpty, !MediaType.isLayer(mediaType) {
                throw ImageReadError("\(role) \(reference.path): media type \(mediaType) is not a filesystem layer")
            }
            let summary: LayerSummary
            switch outcome {
            case .success(let read): summary = read
            case .failure(let error): throw ImageReadError.reading("\(role) \(reference.path)", error)
            }
            try BlobCheck.layer(reference, role: role, summary: summary, diffID: diffIDs[number])
            applied += summary.entries.count
            guard applied <= limits.entries else {
                let what = "layer entries merged into one image by \(role)"
                throw ImageReadError(ReadLimits.exceeded(what, limits.entries, flag: "max-entries"))
            }
            do {
                issues += try tree.apply(summary.entries, nodeLimit: limits.treeNodes)
            } catch {
                throw ImageReadError(
                    ReadLimits.exceeded("files in the merged tree after \(role)", limits.treeNodes, flag: "max-files"))
            }
            layers.append(
                ImageLayer(
                    path: reference.path, digest: Digest(sha256: summary.storedDigest),
                    diffID: Digest(sha256: summary.diffID), compression: summary.compression,
                    size: summary.storedSize, uncompressedSize: summary.uncompressedSize,
                    mediaType: reference.mediaType, entryCount: summary.entries.count + summary.skipped.count))
        }
        return Image(
            source: source, names: plan.plan.names, format: plan.plan.format, manifestDigest: plan.plan.manifestDigest,
            configDigest: plan.configDigest, config: plan.config, layers: layers, tree: tree, mergeIssues: issues)
    }
}
