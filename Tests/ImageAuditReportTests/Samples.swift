import ImageAuditCheck
import ImageAuditELF
import ImageAuditFS
import ImageAuditOCI

/// Audit results to render: real audits of in-memory images (scripts only, so the production
/// ELF bridge is not needed) plus one hand-made result full of characters that need escaping.
enum Samples {
    private static func file(_ path: String, _ text: String, mode: UInt32 = 0o755) -> LayerEntry {
        // Kept as a real read keeps it (shell scripts whole, for the start path).
        LayerEntry(
            path, .regular, permissions: mode, size: Int64(text.utf8.count),
            content: FileContent.kept(
                Array(text.utf8), at: PathBytes.components(Array(path.utf8)),
                under: Auditor.requirements))
    }

    private static func data(_ path: String, _ text: String) -> LayerEntry {
        LayerEntry(
            path, .regular, permissions: 0o644, content: FileContent(head: Array(text.utf8), data: Array(text.utf8)))
    }

    private static func image(_ source: String, _ names: [String], _ entries: [LayerEntry], _ runtime: RuntimeConfig)
        -> ImageUnderAudit
    {
        var tree = FileTree()
        tree.apply(entries)
        return ImageUnderAudit(
            source: source, names: names, config: ImageConfig(architecture: "amd64", os: "linux", config: runtime),
            tree: tree)
    }

    private static let base = [
        LayerEntry("bin/busybox", .regular, permissions: 0o755, content: FileContent(head: [0x7f, 0x45, 0x4c, 0x46])),
        LayerEntry("bin/sh", .symlink(target: Array("busybox".utf8))),
        data("etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"),
    ]

    /// A CRLF entrypoint script and a HEALTHCHECK whose program is missing: fails, with a warning.
    static let crlf = image(
        "build/api.tar", ["registry.example/api:1.4"],
        base + [file("app/entrypoint.sh", "#!/bin/sh\r\nexec /app/api\r\n")],
        RuntimeConfig(
            entrypoint: ["/app/entrypoint.sh"],
            healthcheck: Healthcheck(test: ["CMD", "curl", "-f", "http://localhost/"])))

    /// A script that starts, audited with every executable on PATH.
    static let passing = image(
        "/tmp/my images/tool.tar", [], base + [file("usr/local/bin/tool", "#!/bin/sh\n")],
        RuntimeConfig(cmd: ["tool"]))

    /// Every ELF file is taken for a static amd64 executable: these samples are about scripts.
    private struct StaticELF: ProgramLoading {
        func inspect(_ content: FileContent?, at path: String) -> ELFInspection {
            content?.head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) == true
                ? .facts(ELFFacts(machine: 62, is64Bit: true)) : .notELF
        }

        func link(program: String, facts: ELFFacts, argv0: String, interpreter: String, context: LinkContext)
            -> LinkOutcome
        {
            LinkOutcome(libc: .glibc, problems: [])
        }
    }

    static func audited(allExecutables: Bool = false) -> [AuditResult] {
        let auditor = Auditor(loading: StaticELF())
        return [auditor.audit(crlf), auditor.audit(passing, options: AuditOptions(allExecutables: allExecutables))]
    }

    /// Characters that JSON, XML and terminals must each escape.
    static let hostile = AuditResult(
        source: "a&b <c>.tar", names: ["x/\"quoted\":'1'"], platform: "linux/arm/v7",
        identity: ImageIdentity(
            distribution: Distribution(id: "debian", prettyName: "Debian ‘12’", source: "/etc/os-release"),
            libc: .glibc,
            libcVersion: "2.36"),
        argv: ["/bin/sh", "-c", "echo $HOME && exit 0"], user: "app:app",
        checks: ["entrypoint"],
        findings: [
            Finding(
                code: .missingLibrary, path: "/app/<server>",
                message:
                    "/app/<server>: error while loading shared libraries: libfoo.so.1: cannot open shared object file: No such file or directory",
                cause: "needs libfoo.so.1 & more \u{01}\r", chain: ["a\tb", "x\r"], fix: ["apt-get install \"libfoo1\""]
            )
        ])
}
