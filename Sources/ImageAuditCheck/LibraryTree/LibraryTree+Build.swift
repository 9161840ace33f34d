import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditOCI

extension LibraryTree {
    /// The tree of `path` in `image`, loaded as a container of the image would load it: its Env
    /// (`LD_LIBRARY_PATH`), User and WorkingDir, with `overrides` (`--env`, `--user`) on top.
    /// A shared library is loaded by the image's loader for its platform, as `ld.so FILE` does.
    public static func build(_ image: ImageUnderAudit, path: String, overrides: RunOverrides = RunOverrides())
        throws(LibraryTreeError) -> LibraryTree
    {
        let process = ContainerProcess(config: image.config.config, overrides: overrides)
        var notes: [String] = []
        let credentials: Credentials
        switch UserDatabase(tree: image.tree).credentials(for: process.user) {
        case .success(let found):
            credentials = found
        case .failure:
            credentials = .root
            notes.append(
                "User \(process.user) is not in the image's /etc/passwd or /etc/group, so no container would start at all;"
                    + " the tree is shown for root")
        }
        let absolute =
            path.contains("/")
            ? ImagePath.absolute(path, in: process.workingDir)
            : try onPath(path, process: process, in: image.tree, notes: &notes)
        let (resolvedPath, elf, facts) = try open(absolute, shownAs: path, in: image.tree)
        let context = LinkContext(
            tree: image.tree, environment: process.environment.entries, workingDirectory: process.workingDir,
            credentials: credentials, platform: image.config.platform)
        var tree = LibraryTree(
            path: path, resolvedPath: resolvedPath, file: facts.fileDescription, linkage: elf.linkage.rawValue,
            loader: LoaderKind.none.rawValue, interpreter: nil,
            context: Context(
                libraryPath: process.environment["LD_LIBRARY_PATH"], user: process.user.isEmpty ? "root" : process.user,
                workingDirectory: process.workingDir),
            wouldLoad: true, dependencies: [], problems: [], notes: notes)
        if !facts.runs(on: image.config.platform) {
            tree.problems.append(
                Problem(
                    severity: "error", kind: LoaderProblem.Kind.wrongPlatform.rawValue, object: absolute,
                    subject: tree.file, message: "exec \(absolute): exec format error",
                    cause:
                        "\(absolute) is \(tree.file), which does not run on the image's platform \(image.config.platform.description)",
                    fixes: [
                        "build it for \(image.config.platform.description), or copy it from the build stage of that platform"
                    ]))
            tree.wouldLoad = false
        }
        var explicitLoader: String?
        switch elf.linkage {
        case .staticExecutable, .staticPIE, .other:
            tree.notes.append(
                "statically linked: the kernel starts it without a dynamic loader, so there is nothing to load")
            return tree
        case .sharedObject:
            if pythonModule(&tree, absolute: absolute, image: image, process: process, credentials: credentials) {
                return tree
            }
            let candidates = ELFPlatform(elf).loaderPaths
            guard let loader = candidates.first(where: { image.tree.node(at: $0) != nil }) else {
                tree.problems.append(
                    Problem(
                        severity: "error", kind: LoaderProblem.Kind.interpreterMissing.rawValue, object: absolute,
                        subject: candidates.joined(separator: ", "), message: "",
                        cause: "\(absolute) is a shared library, and the image has no dynamic loader for \(tree.file)"
                            + " (none of \(candidates.joined(separator: ", ")))",
                        fixes: ["a library is loaded by a program's loader: check the program that needs it instead"]))
                tree.wouldLoad = false
                return tree
            }
            explicitLoader = loader
        case .dynamic:
            break
        }
        let report = ImageLoaderModel.loadReport(
            program: absolute, argv0: absolute, context: context, explicitLoader: explicitLoader)
        tree.loader = report.loader.rawValue
        tree.interpreter = report.interpreter.map { path in
            Interpreter(
                path: path, resolvedPath: report.objects.first(where: \.isInterpreter)?.resolvedPath,
                source: explicitLoader == nil ? "PT_INTERP" : "image loader",
                glibcVersion: report.glibc?.version.map { $0.map(String.init).joined(separator: ".") },
                defaultDirectories: report.glibc?.systemDirectories)
        }
        if let source = report.glibc?.source, source != .loaderBytes {
            tree.notes.append(
                "the glibc loader's bytes were not available: its default directories are \(source.rawValue)")
        }
        tree.dependencies = report.objects.isEmpty ? [] : nodes(of: 0, in: report)
        let namesRead = elf.dynamic?.namesAreComplete != false && !elf.uncapturedTables.contains(.dynamicSection)
        if elf.needed.isEmpty && namesRead {
            tree.notes.append("it has no DT_NEEDED entries: it needs no library")
        }
        // What the audit reports too: problems that follow from another one (a symbol of a
        // missing library or version) are left out.
        let links = report.problems.map { problem in
            problem.severity == .fatal || problem.kind == .undefinedSymbolLazy || problem.kind == .notFullyRead
                ? ImageLoaderModel.linkProblem(problem, report: report, tree: image.tree) : nil
        }
        let kept = Set(ExecModel.consequential(links.compactMap { $0 }))
        let missingVersions = ExecModel.missingVersions(links.compactMap { $0 })
        let diagnosis = Diagnosis(image.tree)
        for (problem, link) in zip(report.problems, links) where link.map(kept.contains) ?? true {
            tree.problems.append(
                Self.problem(
                    problem, link: link, report: report, facts: facts, tree: image.tree, diagnosis: diagnosis,
                    missingVersions: missingVersions))
        }
        tree.wouldLoad = tree.wouldLoad && report.wouldStart
        return tree
    }

    /// A bare name, like a command: the first regular file of that name in the image's PATH
    /// directories (as runc looks argv[0] up, without the x-bit test: the tree is about loading).
    private static func onPath(_ name: String, process: ContainerProcess, in tree: FileTree, notes: inout [String])
        throws(LibraryTreeError) -> String
    {
        let directories = process.environment.pathDirectories
        for directory in directories {
            let candidate = ImagePath.absolute(name, in: ImagePath.absolute(directory, in: process.workingDir))
            if case .success(let found) = tree.resolve(candidate), tree.attributes(of: found.node).type == .regular {
                notes.append("`\(name)` found on PATH: \(candidate)")
                return candidate
            }
        }
        throw .notFound(
            path: name,
            why: "no file of that name in the image's PATH directories: " + directories.joined(separator: ":"))
    }

    /// The file at `path`: it must be a regular ELF file the reader could parse.
    private static func open(_ path: String, shownAs shown: String, in tree: FileTree) throws(LibraryTreeError)
        -> (String, ELFFile, ELFFacts)
    {
        let found: ResolvedPath
        switch tree.resolve(path) {
        case .success(let result): found = result
        case .failure(let error): throw .notFound(path: shown, why: error.describe(for: path))
        }
        let resolved = PathBytes.display(found.path)
        let attributes = tree.attributes(of: found.node)
        guard attributes.type == .regular else {
            throw .notELF(path: shown, what: "not a regular file (\(attributes.type))")
        }
        let content = tree.content(of: found.node)
        switch ImageLoaderModel().inspect(content, at: resolved) {
        case .facts(let facts):
            guard case .success(let elf)? = content?.elf else {
                throw .notELF(path: shown, what: "an ELF file that could not be read")
            }
            return (resolved, elf, facts)
        case .notELF:
            if let head = content?.head, head.starts(with: Array("#!".utf8)) {
                let line = String(decoding: head.prefix { $0 != 0x0a }, as: UTF8.self)
                throw .notELF(
                    path: shown, what: "a script (\(ExecModel.visible(line))): ask for the tree of its interpreter")
            }
            throw .notELF(path: shown, what: "not an ELF file")
        case .malformed(let why), .notAnalysed(let why):
            throw .notELF(path: shown, what: why)
        }
    }

    /// Severity, cause and fixes of a loader problem, in the audit's words where it has them.
    private static func problem(
        _ problem: LoaderProblem, link: LinkProblem?, report: LoadReport, facts: ELFFacts, tree: FileTree,
        diagnosis: Diagnosis, missingVersions: [String]
    ) -> Problem {
        let severity =
            switch problem.severity {
            case .fatal: "error"
            case .warning: "warning"
            case .note: "note"
            }
        var cause = problem.detail
        var fixes: [String] = []
        if problem.kind == .interpreterMissing, let interpreter = report.interpreter {
            (cause, fixes) = diagnosis.libcMismatch(report.program, interpreter: interpreter, facts: facts)
        } else if let link {
            var elsewhere: [String] = []
            if case .libraryNotFound(let name, _, _, _) = link { elsewhere = tree.files(named: name) }
            let libc: LibC = report.loader == .musl ? .musl : .glibc
            let explained = LinkDiagnosis(
                identity: diagnosis.identity, fixes: diagnosis.fixes, configuredDirectories: diagnosis.ldConfigured,
                missingVersions: missingVersions
            )
            .explain(link, program: report.program, facts: facts, libc: libc, elsewhere: elsewhere)
            (cause, fixes) = (explained.2, explained.3)
        }
        if let first = fixes.first, first.hasPrefix("or ") { fixes[0] = String(first.dropFirst(3)) }
        return Problem(
            severity: severity, kind: problem.kind.rawValue, object: problem.object, subject: problem.subject,
            message: problem.message, cause: cause, fixes: fixes)
    }
}

extension Diagnosis {
    /// The diagnosis the audit would give in this image (for a file, not a command line).
    init(_ tree: FileTree) {
        let packages = PackageDatabase(tree: tree)
        let identity = ImageIdentity(tree: tree, packages: packages)
        self.init(
            identity: identity, fixes: Fixes(identity: identity, packages: packages), argv: [], user: "",
            ldConfigured: LDSOConf.directories(in: tree))
    }
}
