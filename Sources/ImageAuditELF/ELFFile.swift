/// A parsed ELF file: what the kernel and the dynamic loader look at to start it or load it.
///
/// Built from a file's bytes, or from the parts a streaming reader kept (see
/// ``rangesToCapture(prefix:fileSize:)``). Only the ELF header and the program headers are
/// required; any table that could not be read is listed in ``issues`` and what depends on it is
/// marked incomplete. Kept compact: thousands of these stay in memory for one image.
public struct ELFFile: Sendable {
    /// How the file gets started, from its program headers and dynamic flags.
    public enum Linkage: String, Sendable, Hashable, Codable {
        /// `PT_INTERP` names a loader, which the kernel starts to load `DT_NEEDED`.
        case dynamic
        /// `ET_EXEC` without `PT_INTERP`: started by the kernel alone.
        case staticExecutable = "static"
        /// `ET_DYN` without `PT_INTERP` but with `DF_1_PIE` (`gcc -static-pie`): relocates itself.
        case staticPIE = "static-pie"
        /// `ET_DYN` without `PT_INTERP` nor `DF_1_PIE`: a shared library (or a loader like `ld.so`).
        case sharedObject = "shared-object"
        /// A relocatable object, a core dump or an unknown type.
        case other
    }

    /// How many leading bytes the layer reader hands to ``rangesToCapture(prefix:fileSize:)``.
    public static let probeLength = 64 * 1024

    public let header: ELFHeader
    /// The `PT_INTERP` path.
    public let interpreter: String?
    public let linkage: Linkage
    /// The dynamic section, nil when there is no `PT_DYNAMIC` (or it could not be read).
    public let dynamic: DynamicInfo?
    /// `DT_VERNEED`: versions required from each dependency.
    public let versionNeeds: [VersionNeed]
    /// `DT_VERDEF`: versions this object defines (the base entry included).
    public let versionDefinitions: [VersionDefinition]
    public let symbols: DynamicSymbols
    /// The embedded Go build information, for Go binaries.
    public let goBuildInfo: GoBuildInfo?
    /// Tables that could not be read, and why.
    public let issues: [ELFIssue]
    /// What the kernel reads before the program runs (interpreter segment, load extents, entry).
    public let execLayout: ExecLayout

    /// Parses what the loader and the audit need from an ELF file.
    /// - Throws: ``ELFError`` when the ELF header or the program header table is unusable.
    public init(parsing source: some ELFByteSource) throws(ELFError) {
        let header = try ELFHeader(parsing: source)
        let programHeaders = try ProgramHeader.table(of: header, in: source)
        var parser = ELFParser(source: source, header: header, programHeaders: programHeaders)
        self.header = header
        interpreter = parser.interpreter(programHeaders)
        var dynamic: DynamicInfo?
        var needs: [VersionNeed] = []
        var definitions: [VersionDefinition] = []
        var symbols = DynamicSymbols()
        if let table = parser.dynamicTable(programHeaders) {
            let strings = parser.stringTable(table)
            dynamic = parser.dynamicInfo(table, strings: strings)
            if let strings {
                needs = parser.versionNeeds(table, strings: strings)
                definitions = parser.versionDefinitions(table, strings: strings)
                symbols = parser.dynamicSymbols(table, strings: strings, needs: needs, definitions: definitions)
            } else if table[DynamicTable.symbolTable] != nil {
                symbols.isComplete = false
            }
        }
        self.dynamic = dynamic
        versionNeeds = needs
        versionDefinitions = definitions
        self.symbols = symbols
        goBuildInfo = parser.goBuildInfo(programHeaders: programHeaders)
        let hasInterpreter = programHeaders.contains { $0.type == ProgramHeader.interpreter }
        linkage = Self.linkage(header.type, hasInterpreterSegment: hasInterpreter, dynamic: dynamic)
        issues = parser.issues
        execLayout = ExecLayout(header: header, programHeaders: programHeaders, source: source)
    }

    private static func linkage(
        _ type: ELFFileType, hasInterpreterSegment: Bool, dynamic: DynamicInfo?
    ) -> Linkage {
        if hasInterpreterSegment { return .dynamic }
        switch type {
        case .executable: return .staticExecutable
        case .sharedObject: return dynamic?.isPIE == true ? .staticPIE : .sharedObject
        default: return .other
        }
    }

    /// The `DT_NEEDED` names (empty without a dynamic section).
    public var needed: [String] { dynamic?.needed ?? [] }
    /// `DT_SONAME`.
    public var soname: String? { dynamic?.soname }

    /// The highest version of a family this object defines, e.g. `GLIBC_2.36` for `GLIBC_`.
    public func highestDefinedVersion(prefix: String) -> String? {
        versionDefinitions.filter {
            !$0.isBase && $0.name.hasPrefix(prefix) && !VersionName.split($0.name).numbers.isEmpty
        }
        .map(\.name)
        .max(by: VersionName.isOlder)
    }
}
