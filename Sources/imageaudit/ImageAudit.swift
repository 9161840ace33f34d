import ArgumentParser
import ImageAuditCore

@main
struct ImageAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imageaudit",
        abstract: "Audit container image tarballs: will each image's entrypoint start?",
        version: imageAuditVersionLine,
        subcommands: [Audit.self, Inspect.self, Tree.self],
        defaultSubcommand: Audit.self
    )
}
