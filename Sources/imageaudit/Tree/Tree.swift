import ArgumentParser
import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit
import ImageAuditReport

extension ImageAudit {
    /// `imageaudit tree IMAGE PATH`: the shared libraries a file in the image loads, like lddtree
    /// or libtree, but inside the image and with the loader's own rules.
    struct Tree: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show the libraries a file in an image loads: where each is found and by which rule, or everything searched.",
            discussion: """
                The image's Env (LD_LIBRARY_PATH), User and WorkingDir apply, as when a container starts; --env and \
                --user change them. A shared library is loaded by the image's own loader, as 'ld.so FILE' does. \
                Exit status: 0 it would load; 1 it would not (a library, version or symbol missing, wrong \
                architecture); 2 the tarball or the file could not be read; 64 usage errors. JSON: docs/tree.md.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
        }

        @Argument(help: "The image tarball ('-' reads standard input).")
        var tarball: String

        @Argument(
            help:
                "The file inside the image: an absolute path, one relative to the image's WorkingDir, or a bare name looked up in its PATH."
        )
        var path: String

        @OptionGroup var selection: ImageSelectionOptions
        @OptionGroup var process: ProcessOptions

        @Option(help: "Output format.")
        var format: Format = .text

        @Flag(name: .shortAndLong, help: "Text output: also list the places searched for libraries that were found.")
        var verbose = false

        func run() throws {
            let audit = TarballAudit(reading: selection.readerOptions)
            let images: [Image]
            do {
                images = try audit.read(tarball)
            } catch {
                Console.error(file: tarball, error.message)
                throw ExitCode(ExitCodes.unreadableInput)
            }
            guard images.count == 1, let image = images.first else {
                let names = images.flatMap(\.names)
                Console.error(
                    file: tarball,
                    "it holds \(images.count) images; choose one with --image NAME or --platform"
                        + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))"))
                throw ExitCode(ExitCodes.unreadableInput)
            }
            let tree: LibraryTree
            do {
                tree = try audit.libraryTree(image, path: path, overrides: process.overrides)
            } catch {
                Console.error(file: tarball, error.description)
                throw ExitCode(ExitCodes.unreadableInput)
            }
            switch format {
            case .text: Console.out(TreeText(verbose: verbose).render(tree))
            case .json: Console.out(try TreeJSON.render(tree))
            }
            if !tree.wouldLoad { throw ExitCode.failure }
        }
    }
}
