import ImageAuditELF

/// What the layer reader kept of a regular file's bytes: enough for the audit, never the whole
/// file unless the file is one of the few small ones the audit reads (passwd, ld.so.cache …).
public struct FileContent: Sendable {
    /// The first bytes of the file (up to ``FileContent/headLimit``): magic numbers and a `#!` line.
    public var head: [UInt8]
    /// The parsed ELF file, or why it could not be parsed, when the file starts with `\x7fELF`.
    public var elf: Result<ELFFile, ELFError>?
    /// The whole file, when it was small and at a path the audit reads.
    public var data: [UInt8]?

    /// How many leading bytes are kept of every regular file: the kernel reads at most
    /// 256 bytes of a `#!` line (BINPRM_BUF_SIZE).
    public static let headLimit = 256

    public init(head: [UInt8], elf: Result<ELFFile, ELFError>? = nil, data: [UInt8]? = nil) {
        self.head = head
        self.elf = elf
        self.data = data
    }
}
