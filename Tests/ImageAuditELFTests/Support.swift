import ImageAuditELF
import ImageAuditTestSupport

/// Parses a committed fixture (see `scripts/make-elf-fixtures.sh`) from all its bytes.
func parseFixture(_ name: String) throws -> ELFFile {
    try ELFFile(parsing: Fixtures.elf(name))
}

/// Parses a fixture from only the ranges a streaming reader keeps.
func parseCaptured(_ bytes: [UInt8]) throws -> (ELFFile, SparseBytes) {
    let prefix = Array(bytes.prefix(ELFFile.probeLength))
    let sparse = SparseBytes(keeping: ELFFile.rangesToCapture(prefix: prefix, fileSize: bytes.count), of: bytes)
    return (try ELFFile(parsing: sparse), sparse)
}

/// The undefined symbols of a file by name.
func undefinedByName(_ file: ELFFile) -> [String: UndefinedSymbol] {
    Dictionary(file.symbols.undefined.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
