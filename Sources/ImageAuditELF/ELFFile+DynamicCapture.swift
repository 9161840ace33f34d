extension ELFFile {
    /// The most kept of a version chain (`DT_VERNEED`, `DT_VERDEF`) whose end the dynamic section
    /// does not give: real ones are a few hundred bytes.
    static let versionChainLimit = 1024 * 1024

    /// The file range of `PT_DYNAMIC` (as much as ``rangesToCapture(prefix:fileSize:)`` keeps),
    /// from the program headers in `prefix`; nil without one.
    public static func dynamicRange(prefix: [UInt8], fileSize: Int) -> Range<Int>? {
        guard let header = try? ELFHeader(parsing: prefix),
            let programHeaders = try? ProgramHeader.table(of: header, in: prefix),
            let segment = programHeaders.first(where: { $0.type == ProgramHeader.dynamic }),
            let range = segment.fileRange(clampedTo: fileSize), !range.isEmpty
        else { return nil }
        return range.lowerBound..<(range.lowerBound + min(range.count, dynamicLimit))
    }

    /// The file ranges of every table the dynamic section points to, wherever they lie: what
    /// ``init(parsing:)`` reads besides the ranges of ``rangesToCapture(prefix:fileSize:)``.
    ///
    /// `DT_STRTAB` (`DT_STRSZ` long) and the relocation tables (`DT_RELASZ`, `DT_RELSZ`,
    /// `DT_PLTRELSZ`) have sizes. The symbol, hash and version tables do not: each is taken to
    /// end where the next known table (or `PT_DYNAMIC`) starts, or where its `PT_LOAD` segment
    /// ends, and at most ``tableWindowLimit`` (version chains ``versionChainLimit``) long.
    /// Addresses are mapped to offsets through the `PT_LOAD` program headers in `prefix`.
    /// - Parameters:
    ///   - prefix: the first bytes of the file, holding the ELF and program headers.
    ///   - dynamic: the bytes of ``dynamicRange(prefix:fileSize:)``.
    public static func dynamicTableRanges(prefix: [UInt8], dynamic: ArraySlice<UInt8>, fileSize: Int) -> [Range<Int>] {
        guard let header = try? ELFHeader(parsing: prefix),
            let programHeaders = try? ProgramHeader.table(of: header, in: prefix),
            let dynamicRange = dynamicRange(prefix: prefix, fileSize: fileSize), dynamic.count == dynamicRange.count
        else { return [] }
        let view = ByteView(base: dynamicRange.lowerBound, bytes: dynamic, bigEndian: header.dataEncoding == .bigEndian)
        guard let table = try? DynamicTable(view, range: dynamicRange, is64: header.is64) else { return [] }
        let loads = programHeaders.filter(\.isLoad)
        /// The file offset of `address` and the end of its segment's file bytes.
        func place(_ address: UInt64) -> (offset: Int, segmentEnd: Int)? {
            for segment in loads where address >= segment.virtualAddress {
                let delta = address - segment.virtualAddress
                guard delta < segment.fileSize, let range = segment.fileRange(clampedTo: fileSize),
                    let offset = Int(exactly: segment.offset &+ delta), range.contains(offset)
                else { continue }
                return (offset, range.upperBound)
            }
            return nil
        }
        let sized: [(UInt64, UInt64)] = [
            (DynamicTable.stringTable, DynamicTable.stringTableSize),
            (DynamicTable.jumpRelocations, DynamicTable.pltRelocationsSize),
            (DynamicTable.rela, DynamicTable.relaSize), (DynamicTable.rel, DynamicTable.relSize),
        ]
        let sizeless: [(UInt64, Int)] = [
            (DynamicTable.symbolTable, tableWindowLimit), (DynamicTable.gnuHash, tableWindowLimit),
            (DynamicTable.hash, tableWindowLimit), (DynamicTable.versionSymbols, tableWindowLimit),
            (DynamicTable.versionNeeds, versionChainLimit), (DynamicTable.versionDefinitions, versionChainLimit),
        ]
        var starts = [dynamicRange.lowerBound]
        for tag in sized.map(\.0) + sizeless.map(\.0) {
            if let address = table[tag], let placed = place(address) { starts.append(placed.offset) }
        }
        starts.sort()
        var ranges: [Range<Int>] = []
        for (tag, sizeTag) in sized {
            guard let address = table[tag], let size = table[sizeTag], let placed = place(address) else { continue }
            let length = Int(min(size, UInt64(tableWindowLimit)))
            ranges.append(placed.offset..<min(placed.segmentEnd, placed.offset + length))
        }
        for (tag, limit) in sizeless {
            guard let address = table[tag], let placed = place(address) else { continue }
            let next = starts.first { $0 > placed.offset } ?? placed.segmentEnd
            ranges.append(placed.offset..<min(next, placed.segmentEnd, placed.offset + limit))
        }
        return merged(ranges, fileSize: fileSize)
    }

    /// The ``ELFIssue/Problem/notCaptured`` tables: what a reader did not keep, so that what
    /// depends on them (`DT_NEEDED`, symbols, versions) is not known. Empty for a file read whole.
    public var uncapturedTables: [ELFTable] {
        var tables: [ELFTable] = []
        for issue in issues where issue.problem == .notCaptured && !tables.contains(issue.table) {
            tables.append(issue.table)
        }
        return tables
    }
}
