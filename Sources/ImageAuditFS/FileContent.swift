import ImageAuditELF

/// What the layer reader kept of a regular file's bytes: enough for the audit, never the whole
/// file unless the file is one of the few small ones the audit reads (passwd, ld.so.cache …).
public struct FileContent: Sendable {
    /// The first bytes of the file (up to ``FileContent/headLimit``): magic numbers and a `#!` line.
    public var head: [UInt8]
    /// The whole file, when it was small and at a path the audit reads.
    public var data: [UInt8]?
    /// The parse result lives behind a reference: an `ELFFile` is ~300 bytes inline, and every
    /// layer entry and tree node (tens of thousands) would otherwise pay for it, ELF or not.
    private var elfBox: ELFBox?

    /// The parsed ELF file, or why it could not be parsed, when the file starts with `\x7fELF`.
    public var elf: Result<ELFFile, ELFError>? {
        get { elfBox?.result }
        set { elfBox = newValue.map(ELFBox.init) }
    }

    /// How many leading bytes are kept of every regular file: the kernel reads at most
    /// 256 bytes of a `#!` line (BINPRM_BUF_SIZE).
    public static let headLimit = 256

    public init(head: [UInt8], elf: Result<ELFFile, ELFError>? = nil, data: [UInt8]? = nil) {
        self.head = head
        self.data = data
        elfBox = elf.map(ELFBox.init)
    }
}

/// An immutable box for a parse result (shared, never mutated: replaced on assignment).
private final class ELFBox: Sendable {
    let result: Result<ELFFile, ELFError>

    init(_ result: Result<ELFFile, ELFError>) {
        self.result = result
    }
}
