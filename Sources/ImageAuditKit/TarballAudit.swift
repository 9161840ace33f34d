import ImageAuditCheck
import ImageAuditCore
import ImageAuditOCI

/// The one way in for the commands: reads tarballs keeping exactly the file contents the rules
/// declare (``Auditor/requirements``), and turns each ``Image`` into what the rules judge.
public struct TarballAudit: Sendable {
    /// The reader, with the audit's requirements applied (the bulk run tunes its `jobs`).
    public var reader: ImageReader
    public var auditor: Auditor
    /// How much of each result the reports get (``ReportDetail``).
    public var detail = ReportDetail()

    /// An audit reading with these options (platform, image name); the content requirements
    /// are always the audit's own.
    public init(reading options: ImageReader.Options = ImageReader.Options(), auditor: Auditor = Auditor()) {
        var options = options
        options.contentRequirements = Auditor.requirements
        reader = ImageReader(options: options)
        self.auditor = auditor
    }

    /// The images of the tarball at `path` (`-`: standard input).
    public func read(_ path: String) throws(ImageReadError) -> [Image] {
        try reader.read(path)
    }

    /// Reads the tarball and audits each of its images.
    public func audit(reading path: String, options: AuditOptions) throws(ImageReadError) -> [AuditResult] {
        try read(path).map { audit($0, options: options) }
    }

    /// Audits one image read before; the manifests skipped beside it become its notes.
    public func audit(_ image: Image, options: AuditOptions) -> AuditResult {
        var result = auditor.audit(Self.subject(image), options: options)
        result.manifestDigest = image.manifestDigest?.description
        result.configDigest = image.configDigest.description
        result.notes = image.skipped.map(\.note)
        return detail.apply(to: result)
    }

    /// The libraries `path` (inside the image) loads, for `imageaudit tree`.
    public func libraryTree(
        _ image: Image, path: String, overrides: RunOverrides
    ) throws(LibraryTreeError) -> LibraryTree {
        try LibraryTree.build(Self.subject(image), path: path, overrides: overrides)
    }

    /// What the image is built on, for `inspect` (the audit reads the same).
    public func identity(of image: Image) -> ImageIdentity {
        ImageIdentity(tree: image.tree)
    }

    /// An image as the rules see it: where it came from, its names, config and merged tree.
    public static func subject(_ image: Image) -> ImageUnderAudit {
        ImageUnderAudit(source: image.source, names: image.names, config: image.config, tree: image.tree)
    }
}
