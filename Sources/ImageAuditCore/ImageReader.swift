import Foundation
import ImageAuditArchive
import ImageAuditFS
import ImageAuditOCI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads container images from a tarball: every format `docker save`, skopeo, podman, kaniko
/// and buildkit write, plain or compressed, from a file or standard input. The entry point the
/// `inspect`, audit and `tree` commands share.
///
/// An uncompressed tarball in a regular file is indexed (headers only), then its layers are read
/// as byte ranges of the file in parallel; anything else is read once, front to back. Nothing
/// is extracted to disk; memory follows the number of files, not the size of the layers.
public struct ImageReader: Sendable {
    /// What to read and how.
    public struct Options: Sendable {
        /// `--platform`: which manifest of a multi-platform index to read (default: the only
        /// one, else linux/amd64); for `docker save` tarballs, keeps the images of that platform.
        public var platform: Platform?
        /// `--image NAME[:TAG]`: read only the images with this name.
        public var imageName: String?
        /// Which files to keep whole: what the rules that read them declare (`Auditor.requirements`).
        public var contentRequirements: ContentRequirements
        /// How many layers to read at once (internal knob until the bulk options expose it).
        package var jobs: Int
        /// How to decompress layers (the performance work plugs ISA-L in here).
        package var decompressor: any Decompressor
        /// Refuse anything but a regular file, unread and without blocking (inputs found by
        /// scanning a directory; a FIFO or a device there would hang the run).
        public var regularFilesOnly = false
        /// Where a hostile or absurd tarball stops the read (exit 2).
        public var limits = ReadLimits()
        /// Reads the arguments that name a remote image (`docker://…`) instead of a file.
        public var remote: (any RemoteImageSource)?

        /// Options with defaults: all images, default platform choice, no file kept whole.
        public init(
            platform: Platform? = nil, imageName: String? = nil, contentRequirements: ContentRequirements = .none
        ) {
            self.platform = platform
            self.imageName = imageName
            self.contentRequirements = contentRequirements
            jobs = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
            decompressor = defaultDecompressor
        }
    }

    /// What to read and how.
    public var options: Options

    /// A reader with these options.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads the images of the tarball at `path` (`-` for standard input), in the order the
    /// tarball lists them.
    /// - Throws: ``ImageReadError`` for anything that keeps the tarball from being read whole
    ///   and verified: the message names the document or blob at fault.
    /// Also an image layout directory, and skopeo's transport names (``ImageInput``).
    public func read(_ path: String) throws(ImageReadError) -> [Image] {
        if let remote = options.remote, remote.reads(path) { return try readRemote(path, from: remote) }
        let input = try ImageInput(parsing: path)
        var reader = self
        if let reference = input.reference {
            if let wanted = options.imageName, wanted != reference {
                throw ImageReadError("\(path) names \(reference), but --image asks for \(wanted)")
            }
            reader.options.imageName = reference
        }
        return try reader.images(in: try reader.open(input), source: path)
    }

    /// Reads a tarball delivered by a stream, in one pass (what standard input gets); for tests.
    package func read(stream: any ByteStream, source: String) throws(ImageReadError) -> [Image] {
        let summarizer = layerSummarizer()
        return try images(in: try StreamedTarball(stream: stream, summarizer: summarizer), source: source)
    }

    /// A remote image, resolved and read as the OCI layout it amounts to (``BlobStoreLayout``).
    private func readRemote(_ argument: String, from remote: any RemoteImageSource) throws(ImageReadError) -> [Image] {
        let image = try remote.open(argument)
        let summarizer = layerSummarizer()
        var reader = self
        reader.options.imageName = nil
        return try reader.images(
            in: try BlobStoreLayout(image, summarizer: summarizer, jobs: options.jobs), source: argument)
    }

    /// How every layer is read: what to keep, how to decompress, the limits; with more than one
    /// job a layer's decompressor runs on a thread of its own (a tarball's or a registry's).
    private func layerSummarizer() -> LayerSummarizer {
        var summarizer = LayerSummarizer(
            requirements: options.contentRequirements, decompressor: options.decompressor, limits: options.limits)
        summarizer.pipelined = options.jobs > 1
        return summarizer
    }

    private func images(in contents: any TarballContents, source path: String) throws(ImageReadError) -> [Image] {
        var resolved = try resolve(contents)
        if contents is BlobStoreLayout {
            for index in resolved.images.indices { resolved.images[index].format = .registry }
        }
        let plans = try ImageSelection.byName(resolved.images, wanted: options.imageName, skipped: resolved.skipped)
        let configured = try plans.map { (plan) throws(ImageReadError) in try ConfiguredPlan(plan, contents: contents) }
        let selected = try ImageSelection.byPlatform(configured, wanted: options.platform)
        return ImageSelection.attach(
            resolved.skipped,
            to: try ImageAssembler(contents: contents, source: path, limits: options.limits).assemble(selected))
    }

    /// Chooses how to read: a layout directory file by file, random access for an uncompressed
    /// regular file, one pass otherwise.
    private func open(_ given: ImageInput) throws(ImageReadError) -> any TarballContents {
        let summarizer = layerSummarizer()
        let path = given.path
        var isDirectory: ObjCBool = false
        let exists = path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            let kind = DirectoryLayout.kind(of: path)
            if given.transport == .dockerArchive || given.transport == .ociArchive {
                throw ImageReadError("is a directory, but \(given.transport!.rawValue): takes a tarball")
            }
            guard let kind else {
                throw ImageReadError(
                    "is a directory without an image layout (no oci-layout or index.json; no manifest.json with version)"
                )
            }
            if given.transport == .oci && kind != .oci {
                throw ImageReadError("oci: names a directory that is not an OCI layout")
            }
            if given.transport == .dir && kind != .skopeoDir {
                throw ImageReadError("dir: names a directory that is not a skopeo dir layout (manifest.json, version)")
            }
            return try DirectoryLayout(directory: path, kind: kind, summarizer: summarizer, jobs: options.jobs)
        }
        if given.transport == .oci || given.transport == .dir {
            throw ImageReadError(
                exists
                    ? "\(given.transport!.rawValue): takes a layout directory, not a file"
                    : "no such directory")
        }
        if !exists && path != "-" && given.transport == nil && ImageInput.looksLikeImageReference(path) {
            throw ImageReadError(
                "no such file or directory; for an image in a registry give docker://\(path), for one in docker: docker save \(path) | imageaudit -"
            )
        }
        let input: Input
        do {
            input = try Input(path, regularOnly: options.regularFilesOnly)
        } catch {
            throw ImageReadError(error.message)
        }
        switch input {
        case .stream(let stream): return try StreamedTarball(stream: stream, summarizer: summarizer)
        case .seekable(let file):
            return try RandomAccessTarball(path: path, file: file, summarizer: summarizer, jobs: options.jobs)
        }
    }

    /// The images the tarball's documents describe.
    private func resolve(_ contents: any TarballContents) throws(ImageReadError) -> TarballPlans {
        if contents.index.contains("manifest.json") {
            return TarballPlans(images: try DockerArchiveResolver.plans(contents))
        }
        if contents.index.contains("index.json") {
            return try OCILayoutResolver(contents: contents, wanted: options.platform).plans()
        }
        throw ImageReadError(
            "not a container image tarball: no manifest.json (docker save) or index.json (OCI layout); "
                + contents.index.topLevelSummary)
    }
}

/// How a tarball can be read.
private enum Input {
    /// Once, front to back.
    case stream(any ByteStream)
    /// By byte ranges: an uncompressed regular file.
    case seekable(OpenFile)

    init(_ path: String, regularOnly: Bool) throws(ArchiveError) {
        if path == "-" {
            // Waiting for someone to type a tarball would look like a hang.
            guard isatty(0) == 0 else { throw ArchiveError("standard input is a terminal: pipe a tarball into it") }
            self = .stream(FileDescriptorStream.standardInput())
            return
        }
        let file = try OpenFile(path: path, regularOnly: regularOnly)
        guard file.isRegularFile else {
            self = .stream(FileDescriptorStream(file: file))
            return
        }
        guard file.size > 0 else { throw ArchiveError("empty file, not a tar archive") }
        let magic = try FileRangeStream(file: file, range: 0..<min(file.size, 512)).readAll(limit: 512)
        if Compression.detect(magic) != .none {
            self = .stream(FileRangeStream(file: file, range: 0..<file.size))
        } else {
            self = .seekable(file)
        }
    }
}
