extension ELFParser {
    /// The longest `PT_INTERP` the kernel accepts (`PATH_MAX`).
    static var maxInterpreterLength: Int { 4096 }

    /// The `PT_INTERP` path, up to its NUL.
    mutating func interpreter(_ programHeaders: [ProgramHeader]) -> String? {
        guard let segment = programHeaders.first(where: { $0.type == ProgramHeader.interpreter }) else { return nil }
        guard let range = segment.fileRange(clampedTo: source.size), !range.isEmpty,
            range.count <= Self.maxInterpreterLength
        else {
            issues.append(ELFIssue(table: .interpreter, problem: .malformed, offset: Int(exactly: segment.offset)))
            return nil
        }
        guard let view = view(fileRange: range, for: .interpreter) else { return nil }
        let path = view.bytes.prefix { $0 != 0 }
        return String(decoding: path, as: UTF8.self)
    }

    /// The `PT_DYNAMIC` entries, read from the segment's file bytes.
    mutating func dynamicTable(_ programHeaders: [ProgramHeader]) -> DynamicTable? {
        guard let segment = programHeaders.first(where: { $0.type == ProgramHeader.dynamic }) else { return nil }
        guard let range = segment.fileRange(clampedTo: source.size), !range.isEmpty else {
            issues.append(ELFIssue(table: .dynamicSection, problem: .malformed, offset: Int(exactly: segment.offset)))
            return nil
        }
        guard let view = view(fileRange: range, for: .dynamicSection) else { return nil }
        do throws(ELFError) {
            return try DynamicTable(view, range: range, is64: is64)
        } catch {
            record(error, for: .dynamicSection)
            return nil
        }
    }

    /// `DT_STRTAB` / `DT_STRSZ`.
    mutating func stringTable(_ dynamic: DynamicTable) -> StringTable? {
        guard let address = dynamic[DynamicTable.stringTable], let size = dynamic[DynamicTable.stringTableSize] else {
            return nil
        }
        return view(address: address, length: size, for: .stringTable).map(StringTable.init)
    }

    /// Names, search paths and flags from the dynamic section.
    mutating func dynamicInfo(_ dynamic: DynamicTable, strings: StringTable?) -> DynamicInfo {
        var info = DynamicInfo()
        info.flags = dynamic[DynamicTable.flags] ?? 0
        info.flags1 = dynamic[DynamicTable.flags1] ?? 0
        info.hasBindNowEntry = dynamic[DynamicTable.bindNow] != nil
        info.hasRelr = dynamic[DynamicTable.relr] != nil
        guard let strings else {
            let named = [DynamicTable.soname, DynamicTable.rpath, DynamicTable.runpath].contains { dynamic[$0] != nil }
            info.namesAreComplete = dynamic.neededOffsets.isEmpty && !named
            return info
        }
        do throws(ELFError) {
            for offset in dynamic.neededOffsets { info.needed.append(try strings.string(at: offset)) }
            if let offset = dynamic[DynamicTable.soname] { info.soname = try strings.string(at: offset) }
            if let offset = dynamic[DynamicTable.rpath] { info.rpath = try strings.string(at: offset) }
            if let offset = dynamic[DynamicTable.runpath] { info.runpath = try strings.string(at: offset) }
        } catch {
            record(error, for: .stringTable)
            info.namesAreComplete = false
        }
        return info
    }
}
