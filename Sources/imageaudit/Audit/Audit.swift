import ArgumentParser
import Foundation
import ImageAuditCheck
import ImageAuditCore
import ImageAuditReport

extension ImageAudit {
    /// `imageaudit [audit] TARBALL…`: will each image's entrypoint start? The default command.
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that each image's entrypoint will start, and explain why not.",
            discussion: """
                Exit status: 0 every image passes; 1 some image fails (warnings fail only with --strict); \
                2 a tarball could not be read (the worst status wins); 64 usage errors. See docs/exit-codes.md.
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

        func run() throws {
            let options = AuditOptions(overrides: try overrides.overrides(), allExecutables: overrides.allExecutables)
            let renderer = ReportRenderer(
                format: format, text: TextReport(color: useColor, quiet: quiet), strict: strict, toolVersion: imageAuditVersion)
            let reader = ImageReader(options: images.readerOptions)
            let auditor = Auditor()
            var results: [AuditResult] = []
            var unreadable = false
            for tarball in images.tarballs {
                let read: [Image]
                do {
                    read = try reader.read(tarball)
                } catch {
                    Console.error(file: tarball, error.message)
                    unreadable = true
                    continue
                }
                for image in read {
                    let subject = ImageUnderAudit(source: image.source, names: image.names, config: image.config, tree: image.tree)
                    let result = auditor.audit(subject, options: options)
                    results.append(result)
                    // Text and JSONL stream image by image; the other formats are one document.
                    if format == .text || format == .jsonl { Console.out(try renderer.render([result])) }
                }
            }
            if format != .text && format != .jsonl { Console.out(try renderer.render(results)) }
            let status = ExitStatus.worst([
                ExitStatus.status(for: results, strict: strict), unreadable ? ExitStatus.unreadable : ExitStatus.pass,
            ])
            if status != ExitStatus.pass { throw ExitCode(status) }
        }

        /// Colour only for a terminal, never with --no-color or NO_COLOR (no-color.org).
        private var useColor: Bool {
            format == .text && !noColor && isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
