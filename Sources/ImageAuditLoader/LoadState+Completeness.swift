import ImageAuditELF

extension LoadState {
    /// One ``LoaderProblem/Kind/notFullyRead`` warning per loaded object whose dynamic tables
    /// were not all read: its `DT_NEEDED` names, versions or symbols are then partly unknown,
    /// so the load cannot be judged from them (no library is "not needed", no symbol "missing").
    mutating func checkCompleteness(displayName: (Int) -> String) {
        for index in objects.indices {
            let unread = Self.unreadParts(of: files[index])
            guard !unread.isEmpty else { continue }
            let name = displayName(index)
            problems.append(
                LoaderProblem(
                    kind: .notFullyRead, severity: .warning, object: name, subject: unread.joined(separator: ", "),
                    message: "",
                    detail:
                        "\(name): \(unread.joined(separator: ", ")) could not be read, so what it needs is not known"
                ))
        }
    }

    /// What of a file's dynamic information is unknown, in words.
    static func unreadParts(of file: ELFFile) -> [String] {
        var parts = file.uncapturedTables.map(Self.describe)
        if file.dynamic?.namesAreComplete == false, !parts.contains("the string table (DT_NEEDED names)") {
            parts.append("the string table (DT_NEEDED names)")
        }
        if !file.symbols.isComplete, !parts.contains("the symbol table") { parts.append("the symbol table") }
        return parts
    }

    private static func describe(_ table: ELFTable) -> String {
        switch table {
        case .interpreter: "PT_INTERP"
        case .dynamicSection: "the dynamic section"
        case .stringTable: "the string table (DT_NEEDED names)"
        case .symbolTable: "the symbol table"
        case .hashTable: "the hash table (symbol count)"
        case .symbolVersions: "the symbol versions"
        case .versionNeeds: "the version needs"
        case .versionDefinitions: "the version definitions"
        case .relocations: "the relocations"
        case .goBuildInfo: "the Go build information"
        }
    }
}
