import ArgumentParser
import ImageAuditCore
import ImageAuditKit
import ImageAuditReport

extension ImageAudit {
    /// `imageaudit inspect`: what is in an image tarball, without judging it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the images in tarballs: names, platform, distribution, libc, how they start.",
            discussion: "Exit status: 0 when every tarball was read, 2 when one could not be, 64 for usage errors."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
        }

        @OptionGroup var images: ImageOptions

        @Option(help: "Output format.")
        var format: Format = .text

        @Flag(help: "Also list the merged filesystem (every path with type, mode, owner, size, link target).")
        var files = false

        func run() throws {
            let audit = TarballAudit(reading: images.readerOptions)
            var reports: [InspectReport] = []
            var failed = false
            var printedAny = false
            for tarball in images.tarballs {
                do {
                    let read = try audit.read(tarball)
                    switch format {
                    case .json:
                        reports += read.map { InspectReport($0, identity: audit.identity(of: $0), includeFiles: files) }
                    case .text:
                        // A blank line between images; each tarball's images go out as soon as read.
                        let blocks = read.map {
                            InspectText.render($0, identity: audit.identity(of: $0), includeFiles: files)
                        }
                        Console.out((printedAny ? "\n" : "") + blocks.joined(separator: "\n"))
                        printedAny = printedAny || !blocks.isEmpty
                    }
                } catch {
                    Console.error(file: tarball, error.message)
                    failed = true
                }
            }
            if format == .json { Console.out(try InspectReport.json(reports)) }
            if failed { throw ExitCode(ExitCodes.unreadableInput) }
        }
    }
}
