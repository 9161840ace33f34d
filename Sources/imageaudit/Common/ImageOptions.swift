import ArgumentParser
import ImageAuditCore
import ImageAuditOCI

/// The options every command that reads tarballs takes: which tarballs, which images in them.
struct ImageOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "Image tarballs (docker save, docker-archive, kaniko, OCI layout; plain, gzip or zstd). '-' reads standard input."
                + " docker://HOST/REPO:TAG reads a registry (no tag: every tag; docker://HOST/: the catalog).")
    )
    var tarballs: [String]

    @OptionGroup var selection: ImageSelectionOptions

    func validate() throws {
        if tarballs.isEmpty { throw ValidationError("give at least one image tarball") }
        if tarballs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("standard input ('-') can be read only once")
        }
    }

    /// Reader options from the command line.
    var readerOptions: ImageReader.Options { selection.readerOptions }
}

/// Which image of a tarball: `--platform` and `--image`.
struct ImageSelectionOptions: ParsableArguments {
    @Option(
        help:
            "Platform to read from multi-platform images, os/arch[/variant] (default: the only one, else linux/amd64).")
    var platform: String?

    @Option(help: "Read only the image with this name, NAME[:TAG], from a tarball holding several.")
    var image: String?

    @OptionGroup(title: "Limits") var limits: LimitOptions
    @OptionGroup(title: "Registries") var registry: RegistryOptionGroup

    func validate() throws {
        if let platform, Platform(parsing: platform) == nil {
            throw ValidationError("--platform must be os/arch or os/arch/variant, e.g. linux/arm64/v8: '\(platform)'")
        }
    }

    /// Reader options from the command line.
    var readerOptions: ImageReader.Options {
        var options = ImageReader.Options(platform: platform.flatMap(Platform.init(parsing:)), imageName: image)
        options.limits = limits.limits
        options.remote = registry.source
        return options
    }
}
