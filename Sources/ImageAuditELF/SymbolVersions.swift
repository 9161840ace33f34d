/// One `DT_VERNEED` entry: the versions an object requires from one of its dependencies.
public struct VersionNeed: Sendable, Hashable {
    /// One version required from ``file``, e.g. `GLIBC_2.34`.
    public struct Requirement: Sendable, Hashable {
        public let name: String
        /// `VER_FLG_WEAK`: glibc only warns when it is missing.
        public let isWeak: Bool
        /// `vna_other`: the index `DT_VERSYM` uses for symbols bound to this version.
        public let index: UInt16
    }

    /// `vn_file`: the `DT_NEEDED` name of the library that must define the versions.
    public let file: String
    public let versions: [Requirement]
}

/// One `DT_VERDEF` entry: a version an object defines.
public struct VersionDefinition: Sendable, Hashable {
    public let name: String
    /// `vd_ndx`: the index `DT_VERSYM` uses for symbols of this version.
    public let index: UInt16
    /// `VER_FLG_BASE`: the entry naming the file itself, not a real version.
    public let isBase: Bool
}

extension ELFParser {
    /// An upper bound on entries followed in a version chain, against hostile cycles.
    static var maxVersionEntries: Int { 65_536 }

    /// Reads a fixed-size record at virtual `address + delta`.
    private mutating func record(at address: UInt64, delta: UInt64, size: UInt64, for table: ELFTable) -> ByteView? {
        let (start, overflow) = address.addingReportingOverflow(delta)
        guard !overflow else {
            issues.append(ELFIssue(table: table, problem: .malformed, offset: nil))
            return nil
        }
        return view(address: start, length: size, for: table)
    }

    /// `DT_VERNEED` / `DT_VERNEEDNUM`, resolved through the string table.
    mutating func versionNeeds(_ dynamic: DynamicTable, strings: StringTable) -> [VersionNeed] {
        guard let start = dynamic[DynamicTable.versionNeeds] else { return [] }
        let limit = UInt64(Self.maxVersionEntries)
        let count = Int(min(dynamic[DynamicTable.versionNeedCount] ?? limit, limit))
        var needs: [VersionNeed] = []
        var delta: UInt64 = 0
        do throws(ELFError) {
            for _ in 0..<count {
                guard let entry = record(at: start, delta: delta, size: 16, for: .versionNeeds) else { break }
                let base = entry.base
                let file = try strings.string(at: UInt64(try entry.u32(base + 4)))
                let auxCount = Int(try entry.u16(base + 2))
                var auxDelta = delta + UInt64(try entry.u32(base + 8))
                var versions: [VersionNeed.Requirement] = []
                for _ in 0..<auxCount {
                    guard let aux = record(at: start, delta: auxDelta, size: 16, for: .versionNeeds) else { break }
                    let name = try strings.string(at: UInt64(try aux.u32(aux.base + 8)))
                    let flags = try aux.u16(aux.base + 4)
                    versions.append(.init(name: name, isWeak: flags & 0x2 != 0, index: try aux.u16(aux.base + 6)))
                    let next = try aux.u32(aux.base + 12)
                    if next == 0 { break }
                    auxDelta += UInt64(next)
                }
                needs.append(VersionNeed(file: file, versions: versions))
                let next = try entry.u32(base + 12)
                if next == 0 { break }
                delta += UInt64(next)
            }
        } catch {
            record(error, for: .versionNeeds)
        }
        return needs
    }

    /// `DT_VERDEF` / `DT_VERDEFNUM`: each definition's first name (later names are its parents).
    mutating func versionDefinitions(_ dynamic: DynamicTable, strings: StringTable) -> [VersionDefinition] {
        guard let start = dynamic[DynamicTable.versionDefinitions] else { return [] }
        let limit = UInt64(Self.maxVersionEntries)
        let count = Int(min(dynamic[DynamicTable.versionDefinitionCount] ?? limit, limit))
        var definitions: [VersionDefinition] = []
        var delta: UInt64 = 0
        do throws(ELFError) {
            for _ in 0..<count {
                guard let entry = record(at: start, delta: delta, size: 20, for: .versionDefinitions) else { break }
                let base = entry.base
                let flags = try entry.u16(base + 2)
                let index = try entry.u16(base + 4)
                let auxDelta = delta + UInt64(try entry.u32(base + 12))
                if try entry.u16(base + 6) > 0,
                    let aux = record(at: start, delta: auxDelta, size: 8, for: .versionDefinitions)
                {
                    let name = try strings.string(at: UInt64(try aux.u32(aux.base)))
                    definitions.append(VersionDefinition(name: name, index: index, isBase: flags & 0x1 != 0))
                }
                let next = try entry.u32(base + 16)
                if next == 0 { break }
                delta += UInt64(next)
            }
        } catch {
            record(error, for: .versionDefinitions)
        }
        return definitions
    }
}
