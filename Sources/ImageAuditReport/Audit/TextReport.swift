import ImageAuditCheck

/// The default output: per image an identity line and the verdict; per finding what the user
/// will see, the cause, the chain and the fixes. `quiet`: one line per image.
public struct TextReport: Sendable {
    /// ANSI colours; the CLI turns them on only for a terminal.
    public var color: Bool
    public var quiet: Bool

    public init(color: Bool = false, quiet: Bool = false) {
        self.color = color
        self.quiet = quiet
    }

    public func render(_ results: [AuditResult]) -> String {
        results.map(render).joined(separator: quiet ? "" : "\n")
    }

    /// The name and the tarball it came from. An OCI ref name may be a bare tag (skopeo writes
    /// `latest`): then the tarball is the name and the tag follows it.
    private func identity(_ name: String, _ result: AuditResult) -> String {
        let source = Self.visible(result.source)
        guard result.names.first != nil else { return paint(source, .bold) }
        if !name.contains(where: { ":/@".contains($0) }) {
            return paint(source, .bold) + "  (tag \(Self.visible(name)))"
        }
        return paint(Self.visible(name), .bold) + "  (\(source))"
    }

    public func render(_ result: AuditResult) -> String {
        let name = result.names.first ?? result.source
        let unjudged = result.findings.filter(\.leavesStartNotJudged)
        let verdict =
            switch result.verdict {
            case .pass: paint("PASS", .green)
            case .fail: paint("FAIL", .red)
            case .notJudged: paint("NOT JUDGED", .yellow)
            }
        if quiet {
            let first =
                result.verdict == .notJudged
                ? unjudged.first : result.findings.first { $0.severity == .error }
            let label = result.names.first.map { "\(result.source) [\($0)]" } ?? result.source
            return "\(verdict) \(Self.visible(label))"
                + (first.map { ": \($0.code.rawValue): \(Self.visible(Self.headline($0)))" } ?? "") + "\n"
        }
        var out =
            identity(name, result)
            + "  \(Self.visible("\(result.platform)"))  \(Self.visible(result.identity.summary))\n"
        let argv = result.argv.isEmpty ? "(no command)" : result.argv.map(Self.quoted).joined(separator: " ")
        let user = result.user.isEmpty ? "root" : Self.visible(result.user)
        let starts = !result.findings.contains { $0.severity == .error && $0.suppression == nil }
        // The verdict names what was not judged: a PASS is a promise, and this is not one.
        let what = Array(Set(unjudged.map(\.path))).sorted().map(Self.visible).joined(separator: ", ")
        let summary =
            !starts
            ? "will not start: \(argv) as \(user)"
            : !unjudged.isEmpty
                ? "\(what.isEmpty ? "the start" : what) not judged (see the warning): \(argv) as \(user)"
                : "starts: \(argv) as \(user)"
        out += "  \(verdict)  \(summary)\n"
        for note in result.notes { out += "  " + paint("note:", .dim) + " \(Self.visible(note))\n" }
        for finding in result.findings {
            out += "\n" + render(finding)
        }
        if result.findings.isEmpty && result.checks.count > 1 {
            out += "  checked: \(Self.visible(result.checks.joined(separator: ", ")))\n"
        }
        return out
    }

    /// What users see, or for a finding with no message (not judged) its cause.
    static func headline(_ finding: Finding) -> String {
        finding.message.isEmpty ? finding.cause : finding.message
    }

    private func render(_ finding: Finding) -> String {
        var label = finding.severity == .error ? paint("error", .red) : paint("warning", .yellow)
        if let suppression = finding.suppression { label = "suppressed \(label) (\(suppression.reason))" }
        let check = finding.check == "entrypoint" ? "" : " (\(finding.check))"
        var out = "  \(label)[\(finding.code.rawValue)]\(Self.visible(check)) \(Self.visible(finding.path))\n"
        // A finding with nothing for users to see (not judged) says only its cause.
        out += field("users see", finding.message.isEmpty ? [] : [Self.visible(finding.message)])
        out += field("cause", [Self.visible(finding.cause)])
        out += field("chain", finding.chain.enumerated().map { "\($0.offset + 1). \(Self.visible($0.element))" })
        out += field("fix", finding.fix.map { "- \(Self.visible($0))" })
        return out
    }

    /// A labelled block; continuation lines aligned under the first.
    private func field(_ label: String, _ lines: [String]) -> String {
        guard !lines.isEmpty else { return "" }
        let pad = String(repeating: " ", count: 11 - label.count)
        var out = "    " + paint(label + ":", .dim) + pad + lines[0] + "\n"
        for line in lines.dropFirst() { out += String(repeating: " ", count: 16) + line + "\n" }
        return out
    }

    private enum Style: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case bold = "1"
        case dim = "2"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1b}[\(style.rawValue)m\(text)\u{1b}[0m" : text
    }

    /// Every string from the image goes through here before it is painted or printed.
    static func visible(_ text: String) -> String { TerminalText.escaped(text) }

    private static func quoted(_ arg: String) -> String {
        let plain = !arg.isEmpty && arg.allSatisfy { $0.isLetter || $0.isNumber || "/-_.=:,@+%".contains($0) }
        return plain ? visible(arg) : "'" + visible(arg).replacing("'", with: "'\\''") + "'"
    }
}
