import Foundation
import ImageAuditFS
import ImageAuditTestSupport
import Testing

@testable import ImageAuditCheck

/// The soname → Debian package table (`KnownBases.libraryPackages`) against this machine's
/// package database: every listed library that is installed here belongs to the named package.
@Suite struct LibraryPackagesHostTests {
    static let dpkg =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query")
        && FileManager.default.fileExists(atPath: "/etc/debian_version")

    @Test("each installed library is owned by the table's Debian package", .enabled(if: dpkg, "needs a Debian host"))
    func debianNames() throws {
        // One query for all: dpkg-query exits 1 when some are not installed, and lists the rest.
        let libraries = KnownBases.libraryPackages.keys.sorted()
        let run = try Subprocess.run("/usr/bin/dpkg-query", ["-S"] + libraries.map { "*/\($0)" })
        var owners: [String: Set<String>] = [:]
        for line in run.stdout.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"), let slash = line.lastIndex(of: "/") else { continue }
            let packages = line[..<colon].split(separator: ",").map {
                String($0.trimmingCharacters(in: .whitespaces).split(separator: ":")[0])
            }
            owners[String(line[line.index(after: slash)...]), default: []].formUnion(packages)
        }
        var checked = 0
        for library in libraries {
            guard let found = owners[library], let names = KnownBases.libraryPackages[library] else { continue }
            #expect(found.contains(names.debian), "\(library): dpkg says \(found.sorted()), the table \(names.debian)")
            checked += 1
        }
        #expect(checked >= 20, "only \(checked) of the table's libraries are installed here")
        print("LibraryPackagesHostTests: \(checked) of \(KnownBases.libraryPackages.count) checked with dpkg -S")
    }

    @Test(
        "this machine's dpkg status file: the installed packages and versions dpkg-query lists",
        .enabled(if: dpkg, "needs a Debian host"))
    func statusFile() throws {
        let status = try String(contentsOfFile: "/var/lib/dpkg/status", encoding: .utf8)
        var tree = FileTree()
        tree.apply([Fixture.data("var/lib/dpkg/status", status)])
        let run = try Subprocess.run(
            "/usr/bin/dpkg-query", ["-W", "-f", "${db:Status-Status}\t${Package}\t${Version}\n"])
        var installed: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3, fields[0] == "installed" { installed[fields[1]] = fields[2] }
        }
        #expect(installed.count > 100, "dpkg-query listed only \(installed.count) installed packages")
        #expect(PackageDatabase(tree: tree).versions == installed)
    }
}
