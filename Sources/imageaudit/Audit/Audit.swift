import ArgumentParser
import Foundation
import ImageAuditCheck
import ImageAuditConfig
import ImageAuditCore
import ImageAuditKit
import ImageAuditReport
import Synchronization

extension ImageAudit {
    /// `imageaudit [audit] TARBALL…`: will each image's entrypoint start? The default command.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that each image's entrypoint will start, and explain why not.",
            discussion: HelpText.examples + """

                Exit status: 0 every image passes; 1 some image fails (under --fail-on warning, warnings fail \
                too; never under --fail-on never); 3 no image fails but the start of some image was not \
                judged (0 with --allow-not-judged); 2 an input could not be read or a report could not be \
                written (the worst status wins: 2, 1, 3, 0); 64 usage and config-file errors. See \
                docs/exit-codes.md.

                Every option can also be set as IMAGEAUDIT_<OPTION> (IMAGEAUDIT_FAIL_ON=warning) or in \
                .imageaudit.yaml (or --config FILE); the command line beats the environment, which beats \
                the file. Documentation: docs/options.md, docs/ci.md, docs/config.md.

                Bulk mode: give directories (every *.tar, *.tar.gz, *.tgz, *.tar.zst and image layout \
                directory below them) or many inputs; --jobs N reads N at once; reports come in input \
                order, except jsonl, which streams one line per image as each finishes; a summary ends the \
                text and jsonl reports. --shard K/N splits the inputs across machines.
                """
        )

        @OptionGroup var images: ImageOptions
        @OptionGroup var overrides: RunOverrideOptions

        @Option(
            name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp(
                "A report to write, FORMAT or FORMAT=PATH (repeatable; without a path: standard output, at most one)."
                    + " Formats: text, json, jsonl, sarif, junit, github, gitlab, markdown.",
                valueName: "format[=path]"))
        var output: [String] = []

        @Option(help: "The one report on standard output (same as -o FORMAT).")
        var format: ReportFormat?

        @Option(
            help: ArgumentHelp(
                "What fails an image: error (default), warning, never (report only).",
                valueName: "error|warning|never"))
        var failOn: String?

        @Flag(help: "Same as --fail-on warning: warnings (a broken HEALTHCHECK, --all-executables problems) fail too.")
        var strict = false

        @Flag(
            help: "Exit 0, not 3, when the start of an image is not judged (the reports still say not judged).")
        var allowNotJudged = false

        @Option(
            help: ArgumentHelp(
                "Accept a finding (repeatable): its code, optionally the path inside the image.",
                valueName: "code[:path]"))
        var ignore: [String] = []

        @Option(
            help: ArgumentHelp(
                "The config file (default: .imageaudit.yaml in the working directory, if any).",
                valueName: "file"))
        var config: String?

        @Option(
            help: ArgumentHelp(
                "SARIF and CI annotations: the repository file results point at, e.g. the Dockerfile"
                    + " (default: the tarball, when it is inside the working directory).", valueName: "path"))
        var sarifLocation: String?

        @Option(
            name: .customLong("help-uri-base"),
            help: ArgumentHelp("Where the rule help of SARIF reports lives; #CODE is appended.", valueName: "url"))
        var helpURIBase: String?

        @Flag(help: "No colour in text output (also when NO_COLOR is set or output is not a terminal).")
        var noColor = false

        @Flag(help: "Text output: one line per image.")
        var quiet = false

        @Option(help: "Tarballs to read at once (default: the number of cores).")
        var jobs: Int?

        @Option(
            help: ArgumentHelp("Findings of one code kept per image, the rest counted (default 32).", valueName: "N"))
        var maxFindings: Int?

        @Option(
            help: ArgumentHelp(
                "Audit only part K of N of the inputs, chosen by a stable hash of each name (docs/scale.md).",
                valueName: "K/N"))
        var shard: String?

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1: \(jobs)") }
            if let maxFindings, maxFindings < 1 { throw ValidationError("--max-findings must be at least 1") }
            if let shard, Shard(parsing: shard) == nil {
                throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/8: '\(shard)'")
            }
        }

        func run() throws {
            // A closed pipe must be a write error (status 2), not a silent death by SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            let environment = ProcessInfo.processInfo.environment
            let file: ConfigFile?
            do {
                file = try AuditSettings.configFile(config, environment: environment)
            } catch {
                Console.error(file: error.path, error.message)
                throw ExitCode(ExitStatus.usage)
            }
            let settings = try AuditSettings(self, file: file, environment: environment, today: IgnoreRule.today())
            for rule in settings.expiredIgnores {
                Console.warning(
                    "\(rule.source): the ignore of \(rule.code)\(rule.path.map { ":" + $0 } ?? "")"
                        + " expired on \(rule.until ?? "?"); it no longer applies")
            }
            let sinks: [ReportSink]
            switch AuditOutputs.open(settings.targets) {
            case .success(let opened): sinks = opened
            case .failure(let error):
                Console.error(file: error.path, error.message)
                throw ExitCode(ExitStatus.unreadable)
            }
            let outputs = AuditOutputs(
                targets: settings.targets, sinks: sinks, settings: settings,
                text: TextReport(color: useColor(settings), quiet: settings.quiet), toolVersion: imageAuditVersion)
            try audit(settings: settings, outputs: outputs)
        }

        private func audit(settings: AuditSettings, outputs: AuditOutputs) throws {
            let expanded = AuditInputs.expand(images.tarballs, registry: images.selection.registry.options)
            let inShard = { (key: String) in settings.shard?.contains(key: key) ?? true }
            let inputs = expanded.inputs.filter { inShard($0.shardKey) }
            // Bulk mode: a directory, several inputs or a shard; it adds the summary.
            let bulk = settings.shard != nil || expanded.sawDirectory || images.tarballs.count > 1
            let cores = ImageReader.Options().jobs
            var audit = TarballAudit(reading: settings.reader)
            if let maxFindings { audit.detail.findingsPerCode = maxFindings }
            let run = AuditRun(audit: audit, options: settings.options, jobs: settings.jobs ?? cores)
            var totals = AuditSummary(shard: settings.shard?.description)
            totals.inputNoun = AuditInputs.noun(for: images.tarballs)
            let state = Mutex(RunState(summary: totals, progress: Progress(total: inputs.count), outputs: outputs))
            for directory in expanded.emptyDirectories {
                let message = "no tarballs here (*.tar, *.tar.gz, *.tgz, *.tar.zst)"
                Console.error(file: directory, message)
                state.withLock { state in
                    state.summary.addUnreadable()
                    state.unreadableDirectories.append(UnreadableInput(source: directory, message: message))
                }
            }
            // A repository with no tags is skipped by the shard its name falls in.
            for (reference, key, note) in expanded.skipped where inShard(key) {
                Console.note(file: reference, note)
                state.withLock { $0.summary.addSkipped() }
            }
            for (reference, message) in expanded.failures {
                Console.error(file: reference, message)
                state.withLock { state in
                    state.summary.addUnreadable()
                    state.unreadableDirectories.append(UnreadableInput(source: reference, message: message))
                }
            }
            let policy = settings.policy
            run.run(inputs) { index, input, outcome in
                state.withLock { state in
                    state.progress.clear()
                    switch outcome {
                    case .audited(let results):
                        let judged = results.map(policy.apply)
                        let before = state.summary.failed
                        state.summary.add(judged)
                        state.outputs.finished(index, .audited(judged))
                        state.progress.advance(failed: state.summary.failed - before, unreadable: 0, last: input.path)
                    case .unreadable(let message):
                        state.summary.addUnreadable()
                        Console.error(file: input.path, message)
                        state.outputs.finished(
                            index, .unreadable(UnreadableInput(source: input.path, message: message)))
                        state.progress.advance(failed: 0, unreadable: 1, last: input.path)
                    case .skipped(let note):
                        state.summary.addSkipped()
                        Console.note(file: input.path, note)
                        state.outputs.finished(index, .skipped(source: input.path, note: note))
                        state.progress.advance(failed: 0, unreadable: 0, last: input.path)
                    }
                }
            }
            let (summary, done, directories) = state.withLock { state in
                state.progress.clear()
                return (state.summary, state.outputs, state.unreadableDirectories)
            }
            let finished = done.outcomes
            var results: [AuditResult] = []
            var unreadable = directories
            for outcome in finished {
                switch outcome {
                case .audited(let audited): results += audited
                case .unreadable(let input): unreadable.append(input)
                case .skipped: break
                }
            }
            let report = AuditReport(
                results: results, unreadable: unreadable, summary: summary, policy: settings.policy,
                expiredIgnores: settings.expiredIgnores, inputs: images.tarballs, toolVersion: imageAuditVersion)
            let written = done.finish(report, bulk: bulk)
            let status = ExitStatus.worst([
                settings.policy.status(for: results),
                summary.unreadable > 0 || !written ? ExitStatus.unreadable : ExitStatus.pass,
            ])
            if status != ExitStatus.pass { throw ExitCode(status) }
        }

        /// What the workers share, under one lock.
        private struct RunState {
            var summary: AuditSummary
            var progress: Progress
            var outputs: AuditOutputs
            var unreadableDirectories: [UnreadableInput] = []
        }

        /// Colour only for a text report on a terminal, never with --no-color or NO_COLOR (no-color.org).
        private func useColor(_ settings: AuditSettings) -> Bool {
            settings.targets.contains { $0.format == .text && $0.path == nil } && !settings.noColor
                && isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
