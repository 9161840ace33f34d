import Foundation
import ImageAuditCheck
import Testing

/// The oracle (scripts/oracle.sh) names what it saw with finding codes taken from one table,
/// scripts/lib/oracle-codes.tsv; its verdicts are recorded in TestImages/expected.tsv. Neither
/// may hold a code the audit does not have.
@Suite struct OracleCodesTests {
    /// The tab-separated rows of a repository file, without comments and blank lines.
    private func rows(_ path: String) throws -> [[String]] {
        let text = try String(contentsOf: Python.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !$0.hasPrefix("#") && !$0.allSatisfy(\.isWhitespace) }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("every code in the oracle's table is a FindingCode")
    func tableCodes() throws {
        let table = try rows("scripts/lib/oracle-codes.tsv")
        #expect(table.count >= 10)
        for row in table {
            try #require(row.count == 3, "not source<TAB>pattern<TAB>code: \(row)")
            #expect(FindingCode(rawValue: row[2]) != nil, "oracle-codes.tsv: \(row[2]) is not a FindingCode")
        }
    }

    @Test("every code in TestImages/expected.tsv is a FindingCode")
    func expectedCodes() throws {
        let expected = try rows("TestImages/expected.tsv")
        #expect(expected.count >= 40)
        for row in expected {
            try #require(row.count == 6, "expected.tsv: not 6 fields: \(row)")
            let (name, verdict, code, healthcheck) = (row[0], row[1], row[2], row[4])
            if verdict == "fail" {
                #expect(FindingCode(rawValue: code) != nil, "\(name): \(code) is not a FindingCode")
            } else {
                #expect(verdict == "pass" && code == "-", "\(name): verdict \(verdict), code \(code)")
            }
            #expect(
                ["-", "ok"].contains(healthcheck) || FindingCode(rawValue: healthcheck) != nil,
                "\(name): healthcheck \(healthcheck) is not a FindingCode")
        }
    }
}
