import ImageAuditFS
import ImageAuditOCI

/// The audit: given an image's config and merged filesystem, will its entrypoint start?
///
/// Pure: no I/O, no archives. The ELF reader and the loader model come in through
/// ``ProgramLoading``.
public struct Auditor: Sendable {
    private let loading: any ProgramLoading

    public init(loading: any ProgramLoading = ImageLoaderModel()) {
        self.loading = loading
    }

    /// Audits one image. Findings are values; this never throws.
    public func audit(_ image: ImageUnderAudit, options: AuditOptions = AuditOptions()) -> AuditResult {
        let runtime = image.config.config
        let process = ContainerProcess(config: runtime, overrides: options.overrides)
        let packages = PackageDatabase(tree: image.tree)
        let identity = ImageIdentity(tree: image.tree, packages: packages)
        let diagnosis = Diagnosis(
            identity: identity, fixes: Fixes(identity: identity, packages: packages), argv: process.argv,
            user: process.user,
            ldConfigured: LDSOConf.directories(in: image.tree))
        var result = AuditResult(
            source: image.source, names: image.names, platform: image.config.platform.description, identity: identity,
            argv: process.argv, user: process.user, checks: ["entrypoint"], findings: [])

        let credentials: Credentials
        switch UserDatabase(tree: image.tree).credentials(for: process.user) {
        case .success(let found):
            credentials = found
        case .failure(let problem):
            // runc resolves the user before anything else: nothing starts, not even a healthcheck.
            let (startProblem, message) =
                switch problem {
                case .unknownUser(let name):
                    (StartProblem.unknownUser(name), "unable to find user \(name): no matching entries in passwd file")
                case .unknownGroup(let name):
                    (StartProblem.unknownGroup(name), "unable to find group \(name): no matching entries in group file")
                }
            let failure = StartFailure(problem: startProblem, message: message, chain: ["User is \"\(process.user)\""])
            return with(result, [diagnosis.finding(for: failure, check: "entrypoint", severity: .error)])
        }

        let model = ExecModel(
            tree: image.tree, credentials: credentials, environment: process.environment,
            workingDir: process.workingDir,
            platform: image.config.platform, loading: loading)
        let startPath = StartPath(model: model, packages: packages)
        let started = startPath.startReaching(process.argv)
        var findings = started.failures.map {
            diagnosis.finding(for: $0, check: "entrypoint", severity: .error)
        }
        if !started.failures.contains(where: \.stopsStart) {
            // The interpreters start: then the extension modules they import must load too.
            let context = ModuleContext(
                tree: image.tree, identity: identity, fixes: Fixes(identity: identity, packages: packages),
                startPath: startPath, nodeArch: Self.nodeArch(image.config.platform.architecture))
            let (checks, found) = moduleChecks(
                reached: started.reached, argv: process.argv, process: process, credentials: credentials,
                context: context, allModules: options.allModules || options.allExecutables)
            result.checks += checks
            findings += found
        }
        if let healthcheck = process.healthcheck(runtime) {
            result.checks.append("healthcheck")
            let broken = startPath.start(healthcheck.argv).map { failure in
                var finding = diagnosis.finding(for: failure, check: "healthcheck", severity: .warning)
                finding.reason = finding.code
                finding.code = .healthcheckBroken
                finding.severity = .warning
                finding.chain.insert("HEALTHCHECK runs " + healthcheck.argv.joined(separator: " "), at: 0)
                return finding
            }
            findings += broken
        }
        if options.allExecutables {
            let executables = PathExecutables(
                tree: image.tree, environment: process.environment, workingDir: process.workingDir)
            for path in executables.paths() {
                let check = "executable:\(path)"
                result.checks.append(check)
                findings += executables.check(path, with: model).map {
                    diagnosis.finding(for: $0, check: check, severity: .warning)
                }
            }
        }
        return with(result, findings)
    }

    private func with(_ result: AuditResult, _ findings: [Finding]) -> AuditResult {
        AuditResult(
            source: result.source, names: result.names, platform: result.platform, identity: result.identity,
            argv: result.argv, user: result.user, checks: result.checks, findings: findings)
    }
}
