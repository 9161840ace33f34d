import ArgumentParser
import ImageAuditCore

@main
struct ImageAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imageaudit",
        abstract: "Audit container image tarballs: will each image's entrypoint start?",
        discussion: HelpText.examples + "\n\n" + HelpText.documentation,
        version: VersionText.text,
        subcommands: [Audit.self, Inspect.self, Tree.self],
        defaultSubcommand: Audit.self
    )
}
