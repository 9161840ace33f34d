import Foundation
import ImageAuditCheck
import ImageAuditReport
import Testing

/// JUnit XML, read back by PyPI's junitparser as a CI system would.
@Suite struct JUnitReportTests {
    /// One line per test case: suite, classname, case, result types (empty: passed).
    static let reader = """
        import sys, junitparser
        xml = junitparser.JUnitXml.fromfile(sys.argv[1])
        print("totals", xml.tests, xml.failures)
        for suite in xml:
            print("suite", suite.name, suite.tests, suite.failures)
            for case in suite:
                print("case", case.classname, case.name, ",".join(r.type or "" for r in case.result), sep="|")
        """

    private func read(_ xml: String) throws -> [String] {
        let file = try Python.temporaryFile(xml, suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let (status, output) = try Python.run(Self.reader, [file])
        #expect(status == 0, "\(output)")
        return output.split(separator: "\n").map(String.init)
    }

    @Test(
        "junitparser reads one suite per image and one case per check",
        .enabled(if: Python.has("junitparser"), "needs python3 with junitparser (scripts/install-deps.sh --test)"))
    func parsed() throws {
        let lines = try read(
            JUnitReport.render(Samples.audited(allExecutables: true) + [Samples.hostile], strict: false))
        #expect(
            lines == [
                "totals 6 2",
                "suite registry.example/api:1.4 2 1",
                "case|registry.example/api:1.4|entrypoint|missing-shebang-interpreter",
                "case|registry.example/api:1.4|healthcheck|",
                "suite /tmp/my images/tool.tar 3 0",
                "case|/tmp/my images/tool.tar|entrypoint|",
                "case|/tmp/my images/tool.tar|executable:/usr/local/bin/tool|",
                "case|/tmp/my images/tool.tar|executable:/bin/busybox|",
                "suite x/\"quoted\":'1' 1 1",
                "case|x/\"quoted\":'1'|entrypoint|missing-library",
            ])
    }

    @Test(
        "--strict turns warnings into failures",
        .enabled(if: Python.has("junitparser"), "needs python3 with junitparser (scripts/install-deps.sh --test)"))
    func strict() throws {
        let lines = try read(JUnitReport.render([Samples.audited()[0]], strict: true))
        #expect(lines.contains("case|registry.example/api:1.4|healthcheck|healthcheck-broken"))
        #expect(lines.first == "totals 2 2")
    }

    @Test("XML escaping: markup characters, CR as a reference, forbidden controls spelled out")
    func escaping() {
        let xml = JUnitReport.render([Samples.hostile], strict: false)
        #expect(xml.contains("classname=\"x/&quot;quoted&quot;:&apos;1&apos;\""))
        #expect(xml.contains("message=\"/app/&lt;server&gt;: error while loading shared libraries"))
        #expect(xml.contains("needs libfoo.so.1 &amp; more \\x1&#13;"))
        #expect(!xml.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    }
}
