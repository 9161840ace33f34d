extension ELFParser {
    /// Reads `DT_SYMTAB` (with `DT_VERSYM` and the relocations) into the compact form.
    mutating func dynamicSymbols(
        _ dynamic: DynamicTable, strings: StringTable, needs: [VersionNeed], definitions: [VersionDefinition]
    ) -> DynamicSymbols {
        var symbols = DynamicSymbols()
        for definition in definitions { symbols.definitionNames[definition.index] = definition.name }
        for need in needs {
            for version in need.versions { symbols.requirementNames[version.index] = (version.name, need.file) }
        }
        guard let address = dynamic[DynamicTable.symbolTable] else { return symbols }
        // The hash table gives the count, except when no symbol is hashed (an executable that
        // defines nothing): then every symbol a relocation uses is still known.
        let references = relocationReferences(dynamic)
        let hashed = symbolCount(dynamic)
        guard hashed != nil || references != nil else {
            symbols.isComplete = false
            return symbols
        }
        let count = max(hashed ?? 0, references?.count ?? 0)
        let entrySize = is64 ? 24 : 16
        if let declared = dynamic[DynamicTable.symbolEntrySize], declared != UInt64(entrySize) {
            issues.append(ELFIssue(table: .symbolTable, problem: .malformed, offset: nil))
            symbols.isComplete = false
            return symbols
        }
        guard count > 0, let table = view(address: address, length: UInt64(count * entrySize), for: .symbolTable) else {
            symbols.isComplete = count == 0
            return symbols
        }
        var versions: ByteView?
        if let versionAddress = dynamic[DynamicTable.versionSymbols] {
            versions = view(address: versionAddress, length: UInt64(count * 2), for: .symbolVersions)
            symbols.hasVersions = true
            if versions == nil { symbols.isComplete = false }
        }
        do throws(ELFError) {
            try fill(&symbols, table: table, count: count, versions: versions, strings: strings, references: references)
        } catch {
            record(error, for: .symbolTable)
            symbols.isComplete = false
        }
        return symbols
    }

    private func fill(
        _ symbols: inout DynamicSymbols, table: ByteView, count: Int, versions: ByteView?, strings: StringTable,
        references: [UInt8]?
    ) throws(ELFError) {
        let entrySize = is64 ? 24 : 16
        var defined: [(hash: UInt64, versym: UInt16)] = []
        for index in 1..<count {
            let start = table.base + index * entrySize
            let nameOffset = try table.u32(start)
            let info = try table.u8(start + (is64 ? 4 : 12))
            let other = try table.u8(start + (is64 ? 5 : 13))
            let section = try table.u16(start + (is64 ? 6 : 14))
            let binding = info >> 4
            let type = info & 0xf
            guard binding != 0, nameOffset != 0 else { continue }  // STB_LOCAL or unnamed
            var versym: UInt16 = 1
            if let versions { versym = try versions.u16(versions.base + index * 2) }
            let name = try strings.bytes(at: UInt64(nameOffset))
            let use = references.map { index < $0.count ? $0[index] : 0 }
            if section != 0 && use != 3 {
                // Exported: default or protected visibility, a real symbol kind.
                guard other & 0x3 == 0 || other & 0x3 == 3, type != 3, type != 4 else { continue }
                defined.append((DynamicSymbols.hash(name), versym))
            } else {
                let reference: SymbolReference =
                    switch use {
                    case nil: .unknown
                    case 0: .unused
                    case 1: .lazy
                    case 2: .eager
                    default: .copy
                    }
                symbols.undefinedNameBytes.append(contentsOf: name)
                symbols.undefinedNameEnds.append(UInt32(symbols.undefinedNameBytes.count))
                symbols.undefinedAttributes.append(
                    DynamicSymbols.attributes(versym: versym, weak: binding == 2, type: type, reference: reference))
            }
        }
        defined.sort { $0.hash < $1.hash }
        symbols.definedHashes = defined.map(\.hash)
        symbols.definedVersions = defined.map(\.versym)
    }
}
