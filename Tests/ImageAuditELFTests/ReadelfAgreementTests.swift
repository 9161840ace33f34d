import Foundation
import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// Every fixture, and a sample of this machine's programs and libraries, read by the parser and
/// by `readelf -hldVW --dyn-syms` must agree: class, type, machine, interpreter, DT_NEEDED,
/// DT_SONAME, DT_RPATH, DT_RUNPATH, version needs and definitions, undefined and defined symbols.
@Suite struct ReadelfAgreementTests {
    /// A deterministic sample of host ELF files: every 8th regular file of a few directories.
    static let hostSample: [String] = {
        var paths: [String] = []
        for directory in ["/usr/bin", "/usr/lib/x86_64-linux-gnu"] {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            var picked = 0
            for (index, name) in names.enumerated() where index % 8 == 0 && picked < 20 {
                let path = "\(directory)/\(name)"
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == nil,
                    let head = FileHandle(forReadingAtPath: path).flatMap({ try? $0.read(upToCount: 4) }),
                    [UInt8](head) == [0x7f, 0x45, 0x4c, 0x46]
                else { continue }
                paths.append(path)
                picked += 1
            }
        }
        return paths
    }()

    @Test("fixtures agree with readelf", arguments: Fixtures.allELFNames())
    func fixture(name: String) throws {
        try compare(path: Fixtures.elfPath(name), file: try parseFixture(name))
    }

    @Test("host files agree with readelf when read from their captured ranges", arguments: hostSample)
    func host(path: String) throws {
        let capture = try #require(HostELF.read(path))
        try compare(path: path, file: try capture.file.get())
    }

    private func compare(path: String, file: ELFFile) throws {
        guard let report = ReadelfReport(path: path) else { return }  // readelf (binutils) not installed
        #expect(report.elfClass == (file.header.elfClass == .elf64 ? "ELF64" : "ELF32"), "\(path)")
        let types: [ELFFileType: String] = [
            .relocatable: "REL", .executable: "EXEC", .sharedObject: "DYN", .core: "CORE",
        ]
        #expect(report.type == types[file.header.type], "\(path)")
        #expect(report.machine == file.header.machine.readelfName, "\(path)")
        #expect(report.interpreter == file.interpreter, "\(path)")
        #expect(report.needed == file.needed, "\(path)")
        #expect(report.soname == file.soname, "\(path)")
        #expect(report.rpath == file.dynamic?.rpath, "\(path)")
        #expect(report.runpath == file.dynamic?.runpath, "\(path)")
        #expect(report.versionNeeds.map(\.file) == file.versionNeeds.map(\.file), "\(path)")
        #expect(report.versionNeeds.map(\.versions) == file.versionNeeds.map { $0.versions.map(\.name) }, "\(path)")
        #expect(report.versionDefinitions == file.versionDefinitions.map(\.name), "\(path)")
        let undefined = file.symbols.undefined
        let copies = Set(undefined.filter { $0.reference == .copy }.map(\.name))
        #expect(report.undefined == Set(undefined.map(\.name)).subtracting(copies), "\(path)")
        #expect(report.definedCount - copies.count == file.symbols.definedCount, "\(path)")
        #expect(file.issues.isEmpty, "\(path): \(file.issues)")
    }
}
