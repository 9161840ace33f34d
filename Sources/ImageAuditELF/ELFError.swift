/// Why bytes could not be read as an ELF file. Only the ELF header and the program headers are
/// essential; trouble further in (tables that were not captured or do not make sense) is kept in
/// ``ELFFile/issues`` instead, next to everything that could be read.
public enum ELFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file does not start with `\x7fELF`.
    case notELF
    /// `EI_CLASS` is neither 1 (32-bit) nor 2 (64-bit).
    case unsupportedClass(UInt8)
    /// `EI_DATA` is neither 1 (little-endian) nor 2 (big-endian).
    case unsupportedDataEncoding(UInt8)
    /// The file ends (or the captured bytes end) before `length` bytes at `offset` could be read.
    case truncated(offset: Int, length: Int)
    /// A header field holds a value that cannot be used, e.g. an `e_phentsize` that does not match
    /// the class, or an offset that overflows.
    case malformed(field: String, offset: Int)

    public var description: String {
        switch self {
        case .notELF: "not an ELF file"
        case .unsupportedClass(let value): "unknown ELF class \(value)"
        case .unsupportedDataEncoding(let value): "unknown ELF data encoding \(value)"
        case .truncated(let offset, let length): "truncated: \(length) bytes at offset \(offset) are missing"
        case .malformed(let field, let offset): "malformed \(field) at offset \(offset)"
        }
    }
}

/// A table of an ELF file that could not be read in full. Reported in ``ELFFile/issues``; what
/// depends on it (symbols, versions …) is then unknown rather than empty.
public enum ELFTable: String, Sendable, Hashable, Codable {
    case interpreter
    case dynamicSection
    case stringTable
    case symbolTable
    case hashTable
    case symbolVersions
    case versionNeeds
    case versionDefinitions
    case relocations
    case goBuildInfo
}

/// Something that was skipped while parsing, and why.
public struct ELFIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why a table could not be used.
    public enum Problem: String, Sendable, Hashable, Codable {
        /// The bytes lie outside what the streaming reader kept (see ``ELFFile/rangesToCapture(prefix:fileSize:)``).
        case notCaptured
        /// The bytes are there but do not make sense (bad offsets, counts, missing terminators).
        case malformed
        /// The address does not fall in any `PT_LOAD` segment of the file.
        case unmapped
    }

    public let table: ELFTable
    public let problem: Problem
    /// The file offset involved, when known.
    public let offset: Int?

    public init(table: ELFTable, problem: Problem, offset: Int?) {
        self.table = table
        self.problem = problem
        self.offset = offset
    }

    public var description: String {
        let place = offset.map { " at offset \($0)" } ?? ""
        return "\(table.rawValue): \(problem.rawValue)\(place)"
    }
}
