import ArgumentParser
import ImageAuditCore

/// `--max-…`: where a hostile or absurd tarball stops the read with exit 2 (docs/security.md).
/// The defaults are far above real images; raise one when a real image hits it.
struct LimitOptions: ParsableArguments {
    private static let defaults = ReadLimits()

    @Option(help: ArgumentHelp("Entries in the outer tarball (default \(defaults.outerEntries)).", valueName: "N"))
    var maxOuterEntries: Int?

    @Option(
        help: ArgumentHelp(
            "Entries in all layers of one tarball together (default \(defaults.entries)).", valueName: "N"))
    var maxEntries: Int?

    @Option(help: ArgumentHelp("Layers in one image (default \(defaults.layers)).", valueName: "N"))
    var maxLayers: Int?

    @Option(
        help: ArgumentHelp("Bytes in one entry's path or link target (default \(defaults.pathLength)).", valueName: "N")
    )
    var maxPathLength: Int?

    @Option(help: ArgumentHelp("Directories in one entry's path (default \(defaults.pathDepth)).", valueName: "N"))
    var maxPathDepth: Int?

    @Option(help: ArgumentHelp("Files in one merged image tree (default \(defaults.treeNodes)).", valueName: "N"))
    var maxFiles: Int?

    @Option(
        help: ArgumentHelp("Bytes of entry names kept for one tarball (default \(defaults.nameBytes)).", valueName: "N")
    )
    var maxNameBytes: Int?

    @Option(help: ArgumentHelp("DT_NEEDED entries of one ELF file (default \(defaults.needed)).", valueName: "N"))
    var maxNeeded: Int?

    func validate() throws {
        let given = [
            maxOuterEntries, maxEntries, maxLayers, maxPathLength, maxPathDepth, maxFiles, maxNameBytes, maxNeeded,
        ]
        if given.contains(where: { ($0 ?? 1) < 1 }) { throw ValidationError("--max-… limits must be at least 1") }
    }

    /// The reader's limits: the defaults, with what was given.
    var limits: ReadLimits {
        var limits = ReadLimits()
        if let maxOuterEntries { limits.outerEntries = maxOuterEntries }
        if let maxEntries { limits.entries = maxEntries }
        if let maxLayers { limits.layers = maxLayers }
        if let maxPathLength { limits.pathLength = maxPathLength }
        if let maxPathDepth { limits.pathDepth = maxPathDepth }
        if let maxFiles { limits.treeNodes = maxFiles }
        if let maxNameBytes { limits.nameBytes = maxNameBytes }
        if let maxNeeded { limits.needed = maxNeeded }
        return limits
    }
}
