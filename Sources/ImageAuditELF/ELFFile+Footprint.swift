extension ELFFile {
    /// An estimate of the heap memory this value keeps alive, in bytes: array and string storage
    /// plus the inline size. For measuring, not exact (allocator rounding is left out).
    public var estimatedRetainedBytes: Int {
        func string(_ value: String?) -> Int { value.map { $0.utf8.count > 15 ? $0.utf8.count + 32 : 0 } ?? 0 }
        var total = MemoryLayout<ELFFile>.size + string(interpreter)
        if let dynamic {
            total += dynamic.needed.reduce(32) { $0 + 16 + string($1) }
            total += string(dynamic.soname) + string(dynamic.rpath) + string(dynamic.runpath)
        }
        for need in versionNeeds {
            total += 64 + string(need.file) + need.versions.reduce(0) { $0 + 24 + string($1.name) }
        }
        total += versionDefinitions.reduce(32) { $0 + 24 + string($1.name) }
        total += symbols.estimatedRetainedBytes
        total += goBuildInfo.map { string($0.moduleInfo) + string($0.goVersion) } ?? 0
        total += issues.count * MemoryLayout<ELFIssue>.stride
        return total
    }
}

extension DynamicSymbols {
    /// See ``ELFFile/estimatedRetainedBytes``.
    var estimatedRetainedBytes: Int {
        definedHashes.capacity * 8 + definedVersions.capacity * 2 + undefinedNameBytes.capacity
            + undefinedNameEnds.capacity * 4 + undefinedAttributes.capacity * 4
            + (definitionNames.count + requirementNames.count) * 64 + 5 * 32
    }
}
