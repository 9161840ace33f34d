extension ELFParser {
    /// More symbols than this in one dynamic table is taken as corruption.
    static var maxSymbols: Int { 1 << 24 }

    /// How many entries `DT_SYMTAB` has. The dynamic section does not say; the loader knows it
    /// from the hash table: `nchain` of `DT_HASH`, or one past the highest index `DT_GNU_HASH`
    /// reaches (its last chain ends with bit 0 set).
    mutating func symbolCount(_ dynamic: DynamicTable) -> Int? {
        do throws(ELFError) {
            if let address = dynamic[DynamicTable.gnuHash] {
                return try gnuHashCount(at: address)
            }
            if let address = dynamic[DynamicTable.hash] {
                guard let view = view(address: address, length: 8, for: .hashTable) else { return nil }
                return try bounded(Int(try view.u32(view.base + 4)), at: view.base)
            }
        } catch {
            record(error, for: .hashTable)
            return nil
        }
        // No hash table (unusual): the symbol table usually ends where the string table starts.
        if let symbols = dynamic[DynamicTable.symbolTable], let strings = dynamic[DynamicTable.stringTable],
            strings > symbols
        {
            let entrySize = UInt64(is64 ? 24 : 16)
            return Int(min((strings - symbols) / entrySize, UInt64(Self.maxSymbols)))
        }
        issues.append(ELFIssue(table: .hashTable, problem: .malformed, offset: nil))
        return nil
    }

    private func bounded(_ count: Int, at offset: Int) throws(ELFError) -> Int {
        guard count <= Self.maxSymbols else { throw .malformed(field: "symbol count", offset: offset) }
        return count
    }

    private mutating func gnuHashCount(at address: UInt64) throws(ELFError) -> Int? {
        guard let head = view(address: address, length: 16, for: .hashTable) else { return nil }
        let bucketCount = Int(try head.u32(head.base))
        let symbolOffset = Int(try head.u32(head.base + 4))
        let bloomWords = Int(try head.u32(head.base + 8))
        guard bucketCount <= Self.maxSymbols, bloomWords <= Self.maxSymbols else {
            throw .malformed(field: "DT_GNU_HASH header", offset: head.base)
        }
        let bucketsStart = 16 + UInt64(bloomWords) * UInt64(is64 ? 8 : 4)
        guard let buckets = view(address: address &+ bucketsStart, length: UInt64(bucketCount) * 4, for: .hashTable)
        else { return nil }
        var highest = 0
        for index in 0..<bucketCount {
            highest = max(highest, Int(try buckets.u32(buckets.base + index * 4)))
        }
        guard highest >= symbolOffset else { return try bounded(symbolOffset, at: head.base) }
        // Follow the chain of the highest bucket to its end.
        let chainStart = address &+ bucketsStart &+ UInt64(bucketCount) * 4
        var index = highest
        while index < Self.maxSymbols {
            let entryAddress = chainStart &+ UInt64(index - symbolOffset) * 4
            guard let entry = view(address: entryAddress, length: 4, for: .hashTable) else { return nil }
            if try entry.u32(entry.base) & 1 != 0 { return index + 1 }
            index += 1
        }
        throw .malformed(field: "DT_GNU_HASH chain", offset: head.base)
    }
}
