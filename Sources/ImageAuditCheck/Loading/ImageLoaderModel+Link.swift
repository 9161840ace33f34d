import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditOCI

/// The loader step: `ImageAuditLoader.DynamicLoader` on the image, its problems as the audit's.
extension ImageLoaderModel {
    public func link(program: String, facts: ELFFacts, argv0: String, interpreter: String, context: LinkContext)
        -> LinkOutcome
    {
        let report = Self.loadReport(program: program, argv0: argv0, context: context)
        let libc: LibC = report.loader == .musl ? .musl : .glibc
        let problems = report.problems.compactMap { problem -> LinkProblem? in
            // Only what stops the start, and lazily bound symbols (they fail at the first call).
            guard problem.severity == .fatal || problem.kind == .undefinedSymbolLazy || problem.kind == .notFullyRead
            else { return nil }
            return Self.linkProblem(problem, report: report, tree: context.tree)
        }
        return LinkOutcome(libc: libc, problems: problems)
    }

    /// The loader model's full account of starting `program` in the context's image;
    /// `explicitLoader` runs a shared library the way `ld.so FILE` does.
    static func loadReport(program: String, argv0: String, context: LinkContext, explicitLoader: String? = nil)
        -> LoadReport
    {
        let options = LoaderOptions(
            environment: LoaderOptions.environment(fromConfig: context.environment),
            workingDirectory: context.workingDirectory, credentials: context.credentials, argv0: argv0,
            platform: ELFPlatform(ociArchitecture: context.platform.architecture, variant: context.platform.variant),
            explicitLoader: explicitLoader)
        return DynamicLoader.load(program: program, in: context.tree, options: options)
    }

    static func linkProblem(_ problem: LoaderProblem, report: LoadReport, tree: FileTree) -> LinkProblem? {
        switch problem.kind {
        case .libraryNotFound, .libraryWrongClass, .libraryUnusable:
            let steps = report.dependencies.first { $0.name == problem.subject && !$0.isResolved }?.searched ?? []
            return .libraryNotFound(
                name: problem.subject, neededBy: problem.object, searched: steps.map(describe), message: problem.message
            )
        case .versionNotFound:
            let (library, path, provided) = provider(
                of: problem.subject, neededBy: problem.object, report: report, tree: tree)
            return .versionNotFound(
                version: problem.subject, library: library, libraryPath: path, requiredBy: problem.object,
                provided: provided, message: problem.message)
        case .undefinedSymbol, .undefinedSymbolLazy:
            return .symbolNotFound(
                symbol: problem.subject, requiredBy: problem.object, atStartup: problem.kind == .undefinedSymbol,
                message: problem.message)
        case .interpreterMissing, .interpreterUnusable, .wrongPlatform:
            // The audit checks these itself before calling the loader; anything left is the loader's word.
            return .interpreterUnusable(
                interpreter: report.interpreter ?? problem.subject, detail: problem.detail, message: problem.message)
        case .notFullyRead:
            return .incompletelyRead(object: problem.object, unread: problem.subject)
        case .versionWarning, .incomplete:
            return nil
        }
    }

    /// "/etc/ld.so.cache: no entry for libfoo.so.1", "/usr/lib (default directory): not there".
    static func describe(_ step: SearchStep) -> String {
        let tried = step.candidates.map { candidate in
            candidate.path.hasPrefix(step.location)
                ? candidate.result.description : "\(candidate.path) \(candidate.result)"
        }
        let what = tried.isEmpty ? (step.note ?? "not there") : tried.joined(separator: "; ")
        return "\(step.location) (\(step.rule)): \(what)"
    }

    /// For a missing version: the `DT_VERNEED` file that should define it, the path it was
    /// loaded from, and the versions of that family it defines, oldest first.
    static func provider(of version: String, neededBy requester: String, report: LoadReport, tree: FileTree)
        -> (library: String, path: String, provided: [String])
    {
        func elf(_ path: String) -> ELFFile? {
            guard case .success(let found) = tree.resolve(path),
                case .success(let file)? = tree.content(of: found.node)?.elf
            else { return nil }
            return file
        }
        let requesterObject = report.objects.first { $0.path == requester || $0.resolvedPath == requester }
        let need = requesterObject.flatMap { elf($0.resolvedPath) }?.versionNeeds
            .first { need in need.versions.contains { $0.name == version } }
        guard let need else { return ("", "", []) }
        let providerObject = report.objects.first { $0.names.contains(need.file) || $0.soname == need.file }
        let family = String(VersionName.split(version).family)
        let provided =
            providerObject.flatMap { elf($0.resolvedPath) }?.versionDefinitions
            .map(\.name).filter { $0.hasPrefix(family) && !VersionName.split($0).numbers.isEmpty }
            .sorted(by: VersionName.isOlder) ?? []
        return (need.file, providerObject?.resolvedPath ?? need.file, provided)
    }
}

extension Dependency {
    /// Whether a file answered this `DT_NEEDED`.
    var isResolved: Bool {
        switch outcome {
        case .loaded, .reused: true
        case .notFound, .failed: false
        }
    }
}
