import ImageAuditCheck

/// How much of the audit's findings a report keeps, so output follows what is wrong with the
/// image, not how many times an attacker repeated it (docs/security.md): 4,000 missing libraries
/// are 32 findings and one that says how many more there were. What is cut is always said.
public struct ReportDetail: Sendable, Hashable {
    /// Findings of one code per image (`--max-findings`).
    public var findingsPerCode = 32
    /// Lines of one finding's chain and of its fixes.
    public var linesPerFinding = 64
    /// Characters of one line (a `searched:` list over a huge LD_LIBRARY_PATH).
    public var lineLength = 4096

    public init() {}

    /// `result` with the detail beyond these limits cut, and a note where it was.
    public func apply(to result: AuditResult) -> AuditResult {
        var result = result
        var perCode: [FindingCode: Int] = [:]
        var kept: [Finding] = []
        for finding in result.findings {
            perCode[finding.code, default: 0] += 1
            if perCode[finding.code, default: 0] <= findingsPerCode { kept.append(cut(finding)) }
        }
        for (code, count) in perCode.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where count > findingsPerCode {
            guard let last = kept.last(where: { $0.code == code }) else { continue }
            var note = last
            note.message = "… and \(count - findingsPerCode) more \(code.rawValue) findings like these"
            note.cause =
                "cut from the report: more than \(findingsPerCode) findings of one code (raise it with --max-findings)"
            note.path = last.path
            note.chain = []
            note.fix = []
            kept.append(note)
        }
        result.findings = kept
        return result
    }

    private func cut(_ finding: Finding) -> Finding {
        var finding = finding
        finding.message = cut(finding.message)
        finding.cause = cut(finding.cause)
        finding.chain = cut(finding.chain)
        finding.fix = cut(finding.fix)
        return finding
    }

    private func cut(_ lines: [String]) -> [String] {
        let kept = lines.prefix(linesPerFinding).map(cut)
        guard lines.count > linesPerFinding else { return kept }
        return kept + ["… \(lines.count - linesPerFinding) more lines cut"]
    }

    private func cut(_ line: String) -> String {
        guard line.utf8.count > lineLength else { return line }
        let kept = String(line.prefix(lineLength))
        return kept + "… (\(line.count - kept.count) more characters cut)"
    }
}
