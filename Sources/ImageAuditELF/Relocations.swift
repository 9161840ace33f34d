extension ELFParser {
    /// For each symbol index up to the highest one used, how the relocations use it: 0 not at all,
    /// 1 only from `DT_JMPREL` (lazy PLT slots), 2 from a relocation processed at start, 3 from a copy
    /// relocation. Nil when the tables could not be read.
    ///
    /// As glibc's `_ELF_DYNAMIC_DO_RELOC` does, `DT_JMPREL` entries that also lie inside the
    /// `DT_RELA`/`DT_REL` range count only once, as PLT entries.
    mutating func relocationReferences(_ dynamic: DynamicTable) -> [UInt8]? {
        // MIPS64 packs r_info differently; its relocations are not read.
        if header.machine == .mips && is64 { return nil }
        var uses: [UInt8] = []
        var plt: Range<Int>?
        if let address = dynamic[DynamicTable.jumpRelocations], let size = dynamic[DynamicTable.pltRelocationsSize] {
            let rela = dynamic[DynamicTable.pltRelocationType] == DynamicTable.rela
            guard let view = view(address: address, length: size, for: .relocations) else { return nil }
            guard scan(view, entrySize: entrySize(rela: rela), into: &uses, mark: 1, skipping: nil) else {
                issues.append(ELFIssue(table: .relocations, problem: .malformed, offset: view.base))
                return nil
            }
            plt = view.base..<view.end
        }
        let tables = [
            (DynamicTable.rela, DynamicTable.relaSize, DynamicTable.relaEntrySize, true),
            (DynamicTable.rel, DynamicTable.relSize, DynamicTable.relEntrySize, false),
        ]
        for (tag, sizeTag, entryTag, rela) in tables {
            guard let address = dynamic[tag], let size = dynamic[sizeTag], size > 0 else { continue }
            let entrySize = dynamic[entryTag].flatMap { Int(exactly: $0) } ?? entrySize(rela: rela)
            guard entrySize == self.entrySize(rela: rela),
                let view = view(address: address, length: size, for: .relocations)
            else { return nil }
            guard scan(view, entrySize: entrySize, into: &uses, mark: 2, skipping: plt) else {
                issues.append(ELFIssue(table: .relocations, problem: .malformed, offset: view.base))
                return nil
            }
        }
        return uses
    }

    /// `R_*_COPY` for the machine (nil when unknown).
    private var copyRelocationType: UInt32? {
        switch header.machine {
        case .x86_64, .i386: 5
        case .aarch64: 1024
        case .arm: 20
        case .ppc, .ppc64, .sparc, .sparcv9: 19
        case .s390: 9
        case .riscv, .loongarch: 4
        default: nil
        }
    }

    private func entrySize(rela: Bool) -> Int {
        switch (is64, rela) {
        case (true, true): 24
        case (true, false): 16
        case (false, true): 12
        case (false, false): 8
        }
    }

    /// Marks the symbol of every relocation in `view` (outside `skipping`) with at least `mark`.
    private func scan(_ view: ByteView, entrySize: Int, into uses: inout [UInt8], mark: UInt8, skipping: Range<Int>?)
        -> Bool
    {
        var offset = view.base
        do throws(ELFError) {
            while offset <= view.end - entrySize {
                defer { offset += entrySize }
                if let skipping, skipping.contains(offset) { continue }
                let info = try view.word(offset + (is64 ? 8 : 4), is64: is64)
                let symbol = Int(truncatingIfNeeded: is64 ? info >> 32 : info >> 8)
                let type = UInt32(truncatingIfNeeded: is64 ? info & 0xffff_ffff : info & 0xff)
                guard symbol > 0 else { continue }
                guard symbol < Self.maxSymbols else { return false }
                if symbol >= uses.count { uses += [UInt8](repeating: 0, count: symbol + 1 - uses.count) }
                uses[symbol] = max(uses[symbol], type == copyRelocationType ? 3 : mark)
            }
        } catch {
            return false
        }
        return true
    }
}
