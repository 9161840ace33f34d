import ImageAuditELF

/// What the layer reader kept of a regular file's bytes: enough for the audit, never the whole
/// file unless the file is one of the few small ones the audit reads (passwd, ld.so.cache …).
public struct FileContent: Sendable {
    /// The first bytes of the file (up to ``FileContent/headLimit``): magic numbers and a `#!` line.
    public var head: [UInt8]
    /// The whole file, when ``ContentRequirements`` asked for it and it fit.
    public var data: [UInt8]?
    /// Why a file that was asked for has no ``data``: the rules must not judge from it.
    public var withheld: Withheld?
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

extension FileContent {
    /// Why the bytes of a file the requirements named were not kept.
    public enum Withheld: Sendable, Hashable {
        /// The file is bigger than the rule's cap (bytes).
        case cap(Int)
        /// The read's total budget (bytes) was spent on other files.
        case budget(Int)

        /// "bigger than 4 MiB" / "the 64 MiB budget for file contents was spent".
        public var description: String {
            switch self {
            case .cap(let cap): "it is bigger than the \(cap / 1024) KiB kept of such files"
            case .budget(let budget): "the \(budget / 1024 / 1024) MiB kept of file contents per image were spent"
            }
        }
    }
}

/// An immutable box for a parse result (shared, never mutated: replaced on assignment).
private final class ELFBox: Sendable {
    let result: Result<ELFFile, ELFError>

    init(_ result: Result<ELFFile, ELFError>) {
        self.result = result
    }
}
