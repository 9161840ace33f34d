import Foundation
import ImageAuditCheck
import ImageAuditReport

/// The reports of one run, each to its sink: text on standard output streams in input order
/// as inputs finish (a later input waits for the earlier ones), jsonl streams in finish order,
/// every other report is written once all inputs are done, in input order.
struct AuditOutputs {
    let targets: [OutputTarget]
    let sinks: [ReportSink]
    let settings: AuditSettings
    let text: TextReport
    let toolVersion: String
    /// Each input's outcome by index; `nil` until it finishes.
    private var slots: [Int: Outcome] = [:]
    /// The next input the streamed text report waits for.
    private var nextText = 0

    enum Outcome {
        case audited([AuditResult])
        case unreadable(UnreadableInput)
        /// Left out with a note (a registry tag that is not an image): no text, one jsonl line.
        case skipped(source: String, note: String)
    }

    init(targets: [OutputTarget], sinks: [ReportSink], settings: AuditSettings, text: TextReport, toolVersion: String) {
        self.targets = targets
        self.sinks = sinks
        self.settings = settings
        self.text = text
        self.toolVersion = toolVersion
    }

    /// Opens every file target before anything is read, so a bad path costs no audit.
    static func open(_ targets: [OutputTarget]) -> Result<[ReportSink], SinkError> {
        var sinks: [ReportSink] = []
        for target in targets {
            guard let path = target.path else {
                sinks.append(.standardOutput())
                continue
            }
            switch ReportSink.file(path) {
            case .success(let sink): sinks.append(sink)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(sinks)
    }

    /// The outcomes in input order.
    var outcomes: [Outcome] { slots.keys.sorted().compactMap { slots[$0] } }

    private func streamsText(_ target: OutputTarget) -> Bool { target.format == .text && target.path == nil }

    /// One input done: stream what can be streamed.
    mutating func finished(_ index: Int, _ outcome: Outcome) {
        slots[index] = outcome
        for (target, sink) in zip(targets, sinks) where target.format == .jsonl {
            sink.write(jsonl(outcome))
        }
        guard let streamed = zip(targets, sinks).first(where: { streamsText($0.0) })?.1 else { return }
        while let next = slots[nextText] {
            streamed.write(textChunk(next))
            nextText += 1
        }
    }

    /// Colour only for the terminal: a text report in a file never has escapes.
    private func textChunk(_ outcome: Outcome, plain: Bool = false) -> String {
        let text = plain ? TextReport(color: false, quiet: self.text.quiet) : self.text
        return switch outcome {
        case .audited(let results): text.render(results)
        case .unreadable(let input): text.unreadable(input)
        case .skipped: ""
        }
    }

    private func jsonl(_ outcome: Outcome) -> String {
        switch outcome {
        case .audited(let results): results.map { ((try? JSONReport.line($0)) ?? "") + "\n" }.joined()
        case .unreadable(let input):
            ((try? JSONReport.unreadableLine(source: input.source, error: input.message)) ?? "") + "\n"
        case .skipped(let source, let note): ((try? JSONReport.skippedLine(source: source, note: note)) ?? "") + "\n"
        }
    }

    /// Writes what is left of every report; false (after a one-line error each) when one failed.
    func finish(_ report: AuditReport, bulk: Bool) -> Bool {
        let renderer = { (format: ReportFormat) in
            ReportRenderer(format: format, text: text, toolVersion: toolVersion, sarif: settings.sarif)
        }
        for (target, sink) in zip(targets, sinks) {
            switch target.format {
            case .text:
                let directories = report.unreadable.filter { input in
                    !outcomes.contains { if case .unreadable(let other) = $0 { other == input } else { false } }
                }
                let plain = !streamsText(target)
                var out = plain ? outcomes.map { textChunk($0, plain: true) }.joined() : ""
                out += directories.map { textChunk(.unreadable($0), plain: plain) }.joined()
                if bulk { out += (text.quiet ? "" : "\n") + report.summary.text }
                sink.write(out)
            case .jsonl:
                if bulk { sink.write(((try? JSONReport.summaryLine(report.summary)) ?? "") + "\n") }
            default:
                sink.write((try? renderer(target.format).render(report)) ?? "")
            }
            sink.finish()
        }
        var written = true
        if targets.contains(where: { $0.format == .github }),
            let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"],
            !path.isEmpty
        {
            written = Self.append(MarkdownReport.render(report), to: path) && written
        }
        for sink in sinks {
            if let failure = sink.failure {
                Console.error(file: sink.name, failure)
                written = false
            }
        }
        return written
    }

    /// Appends to `$GITHUB_STEP_SUMMARY` (the runner's file for the job summary).
    private static func append(_ text: String, to path: String) -> Bool {
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            Console.error(file: path, "cannot append the step summary: " + String(cString: strerror(errno)))
            return false
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            Console.error(file: path, "cannot append the step summary: " + String(cString: strerror(errno)))
            return false
        }
        return true
    }
}
