import ArgumentParser
import Foundation
import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit
import ImageAuditReport
import Synchronization

extension ImageAudit {
    /// `imageaudit [audit] TARBALL…`: will each image's entrypoint start? The default command.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that each image's entrypoint will start, and explain why not.",
            discussion: """
                Exit status: 0 every image passes; 1 some image fails (warnings fail only with --strict); \
                2 a tarball could not be read (the worst status wins); 64 usage errors. See docs/exit-codes.md.

                Bulk mode: give directories (every *.tar, *.tar.gz, *.tgz, *.tar.zst below them) or many \
                tarballs; --jobs N reads N at once, --format jsonl streams one line per image as each \
                finishes, and a summary ends the report. --shard K/N splits the inputs across machines.
                """
        )

        @OptionGroup var images: ImageOptions
        @OptionGroup var overrides: RunOverrideOptions

        @Option(help: "Output format: text, json, jsonl (one image per line), sarif, junit.")
        var format: ReportFormat = .text

        @Flag(help: "No colour in text output (also when NO_COLOR is set or output is not a terminal).")
        var noColor = false

        @Flag(help: "Text output: one line per image.")
        var quiet = false

        @Flag(help: "Warnings (a broken HEALTHCHECK, --all-executables problems) fail too.")
        var strict = false

        @Option(help: "Tarballs to read at once (default: the number of cores).")
        var jobs: Int?

        @Option(help: ArgumentHelp(
            "Audit only part K of N of the inputs, chosen by a stable hash of each name (docs/scale.md).",
            valueName: "K/N"))
        var shard: String?

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1: \(jobs)") }
            if let shard, Shard(parsing: shard) == nil {
                throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/8: '\(shard)'")
            }
        }

        func run() throws {
            let options = AuditOptions(overrides: try overrides.overrides(), allExecutables: overrides.allExecutables,
                allModules: overrides.allModules)
            let renderer = ReportRenderer(
                format: format, text: TextReport(color: useColor, quiet: quiet), strict: strict, toolVersion: imageAuditVersion)
            let shard = self.shard.flatMap(Shard.init(parsing:))
            let (expanded, emptyDirectories, sawDirectory) = AuditInputs.expand(images.tarballs)
            let inputs = shard.map { shard in expanded.filter { shard.contains(key: $0.shardKey) } } ?? expanded
            // Bulk mode: a directory, several tarballs or a shard; it adds the summary.
            let bulk = shard != nil || sawDirectory || images.tarballs.count > 1
            let cores = ImageReader.Options().jobs
            let run = AuditRun(audit: TarballAudit(reading: images.readerOptions), options: options, jobs: jobs ?? cores)
            let state = Mutex(RunState(summary: AuditSummary(shard: shard?.description), progress: Progress(total: inputs.count)))
            for directory in emptyDirectories {
                Console.error(file: directory, "no tarballs here (*.tar, *.tar.gz, *.tgz, *.tar.zst)")
                state.withLock { $0.summary.addUnreadable() }
            }
            let streams = format == .text || format == .jsonl
            run.run(inputs) { index, input, outcome in
                state.withLock { state in
                    state.progress.clear()
                    switch outcome {
                    case .audited(let results):
                        let before = state.summary.failed
                        state.summary.add(results, strict: strict)
                        if streams {
                            Console.out((try? renderer.render(results)) ?? "")
                        } else {
                            state.collected.append((index, results))
                        }
                        state.progress.advance(failed: state.summary.failed - before, unreadable: 0, last: input.path)
                    case .unreadable(let message):
                        state.summary.addUnreadable()
                        Console.error(file: input.path, message)
                        if format == .jsonl {
                            Console.out(((try? JSONReport.unreadableLine(source: input.path, error: message)) ?? "") + "\n")
                        }
                        state.progress.advance(failed: 0, unreadable: 1, last: input.path)
                    }
                }
            }
            let (summary, collected) = state.withLock { state in
                state.progress.clear()
                return (state.summary, state.collected.sorted { $0.0 < $1.0 }.flatMap(\.1))
            }
            if !streams { Console.out(try renderer.render(collected)) }
            if bulk && format == .text { Console.out((quiet ? "" : "\n") + summary.text) }
            if bulk && format == .jsonl { Console.out(try JSONReport.summaryLine(summary) + "\n") }
            let status = ExitStatus.worst([
                summary.failed > 0 ? ExitStatus.fail : ExitStatus.pass,
                summary.unreadable > 0 ? ExitStatus.unreadable : ExitStatus.pass,
            ])
            if status != ExitStatus.pass { throw ExitCode(status) }
        }

        /// What the workers share, under one lock.
        private struct RunState {
            var summary: AuditSummary
            var progress: Progress
            var collected: [(Int, [AuditResult])] = []
        }

        /// Colour only for a terminal, never with --no-color or NO_COLOR (no-color.org).
        private var useColor: Bool {
            format == .text && !noColor && isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
