import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader

/// The production ``ProgramLoading``: the ELF reader (`ImageAuditELF`) and the loader models
/// (`ImageAuditLoader`).
///
/// INTEGRATION POINT (issue 3): until the ELF reader's API is merged, ELF files are reported as
/// not analysed (a warning, never a verdict), and ``link`` is not reached.
public struct ImageLoaderModel: ProgramLoading {
    public init() {}

    public func inspect(_ content: FileContent?, at path: String) -> ELFInspection {
        guard let content, content.head.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { return .notELF }
        return .notAnalysed("ELF analysis is not available in this build")
    }

    public func link(
        program: String, facts: ELFFacts, argv0: String, interpreter: String, in tree: FileTree, environment: [String]
    ) -> LinkOutcome {
        LinkOutcome(libc: LinkDiagnosis.libc(ofInterpreter: interpreter) ?? .glibc, problems: [])
    }
}
