import Foundation
import ImageAuditELF

/// The dynamic facts the loaders act on, as `readelf -dVW` shows them (through the section
/// headers) or as imageaudit's reader found them (through `PT_DYNAMIC`): what the differential
/// tests compare.
public struct ReadelfDynamic: Sendable, Equatable, CustomStringConvertible {
    public var needed: [String] = []
    public var soname: String?
    public var rpath: String?
    public var runpath: String?
    /// `FILE: VERSION` for every `DT_VERNEED` entry, in order.
    public var versionNeeds: [String] = []

    public static let readelf = Subprocess.find(["/usr/bin/readelf", "/usr/bin/x86_64-linux-gnu-readelf"])

    /// What readelf says of the file at `path`; nil without readelf or when it fails.
    public init?(readelfOf path: String) {
        guard let readelf = Self.readelf,
            let output = try? Subprocess.run(readelf, ["-dVW", path], environment: ["LC_ALL": "C"]), output.status == 0
        else { return nil }
        var inNeeds = false
        var file = ""
        for line in output.stdout.split(separator: "\n").map(String.init) {
            if line.contains("(NEEDED)"), let name = Self.bracketed(line) { needed.append(name) }
            if line.contains("(SONAME)") { soname = Self.bracketed(line) }
            if line.contains("(RPATH)") { rpath = Self.bracketed(line) }
            if line.contains("(RUNPATH)") { runpath = Self.bracketed(line) }
            if line.hasPrefix("Version needs section") {
                inNeeds = true
            } else if line.hasPrefix("Version") {
                inNeeds = false
            }
            guard inNeeds else { continue }
            if line.contains("File: "), let name = Self.field(line, after: "File: ") { file = name }
            if line.contains("Name: ") && line.contains("Flags:"), let name = Self.field(line, after: "Name: ") {
                versionNeeds.append("\(file): \(name)")
            }
        }
    }

    /// What imageaudit's reader found.
    public init(_ file: ELFFile) {
        needed = file.needed
        soname = file.soname
        rpath = file.dynamic?.rpath
        runpath = file.dynamic?.runpath
        versionNeeds = file.versionNeeds.flatMap { need in need.versions.map { "\(need.file): \($0.name)" } }
    }

    public var description: String {
        "needed \(needed), soname \(soname ?? "-"), rpath \(rpath ?? "-"), runpath \(runpath ?? "-"), "
            + "versions \(versionNeeds)"
    }

    private static func bracketed(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]"), open < close else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    private static func field(_ line: String, after key: String) -> String? {
        guard let range = line.range(of: key) else { return nil }
        return line[range.upperBound...].split(separator: " ").first.map(String.init)
    }
}

/// ELF files rewritten by `patchelf`, the way auditwheel repairs wheels: the dynamic string,
/// symbol and version tables move to new `PT_LOAD` segments at the end of the file.
public enum PatchedELF {
    /// Debian's patchelf (0.14 puts `.dynamic` first in the new segment, the tables after it).
    public static let debianPatchelf = Subprocess.find(["/usr/bin/patchelf"])

    /// Copies `source` to `directory/name` and runs patchelf with `arguments` on the copy.
    public static func make(
        from source: String, arguments: [String], name: String, in directory: String, patchelf: String
    ) throws -> String {
        let target = (directory as NSString).appendingPathComponent(name)
        try? FileManager.default.removeItem(atPath: target)
        // Read through symlinks (libz.so.1 is one): the copy is the file itself.
        try Data(contentsOf: URL(fileURLWithPath: source)).write(to: URL(fileURLWithPath: target))
        let result = try Subprocess.run(patchelf, arguments + [target])
        guard result.status == 0 else {
            throw ExternalTools.ToolError(message: "patchelf \(arguments) \(source): \(result.stderr)")
        }
        return target
    }

    /// The file with every non-executable `PT_LOAD` that lies before `PT_DYNAMIC` and after the
    /// first writable one marked executable: a stream then does not keep those segments ahead
    /// of `PT_DYNAMIC`, so the tables in them pass unkept (what the second look is for). The
    /// loader model does not look at segment flags; readelf reads the same tables.
    public static func hidingTablesBeforeDynamic(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
        func u32(_ at: Int) -> UInt32 { UInt32(truncatingIfNeeded: u64(at)) }
        let phoff = Int(u64(32))
        let count = Int(u32(56) & 0xffff)
        let headers = (0..<count).map { phoff + $0 * 56 }
        guard let dynamic = headers.first(where: { u32($0) == 2 }).map({ u64($0 + 8) }),
            let firstWritable = headers.first(where: { u32($0) == 1 && u32($0 + 4) & 2 != 0 }).map({ u64($0 + 8) })
        else { return bytes }
        for header in headers where u32(header) == 1 && u64(header + 8) > firstWritable && u64(header + 8) < dynamic {
            bytes[header + 4] |= 1
        }
        return bytes
    }
}
