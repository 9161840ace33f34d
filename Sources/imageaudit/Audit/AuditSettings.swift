import ArgumentParser
import Foundation
import ImageAuditCheck
import ImageAuditConfig
import ImageAuditCore
import ImageAuditOCI
import ImageAuditReport

/// The audit's options once the command line, `IMAGEAUDIT_*` and the config file are merged
/// (flag beats environment beats file) and checked.
struct AuditSettings {
    var targets: [OutputTarget]
    var policy: AuditPolicy
    var expiredIgnores: [IgnoreRule]
    var quiet: Bool
    var noColor: Bool
    var jobs: Int?
    var shard: Shard?
    var reader: ImageReader.Options
    var options: AuditOptions
    var sarif: SARIFReport.Options
    /// The config file in force, if any.
    var configPath: String?

    /// Every option the environment and the config file may set.
    static let keys: Set<String> = [
        "output", "format", "fail-on", "strict", "ignore", "sarif-location", "help-uri-base", "no-color", "quiet",
        "jobs", "shard", "platform", "image", "entrypoint", "cmd", "user", "env", "all-executables",
        "all-modules", "allow-not-judged",
    ]

    /// The config file: `--config`, else `IMAGEAUDIT_CONFIG`, else `.imageaudit.yaml` here.
    static func configFile(_ explicit: String?, environment: [String: String]) throws(ConfigError) -> ConfigFile? {
        if let path = explicit ?? environment["IMAGEAUDIT_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try ConfigFile.load(path: path, knownKeys: keys)
        }
        guard FileManager.default.fileExists(atPath: ".imageaudit.yaml") else { return nil }
        return try ConfigFile.load(path: ".imageaudit.yaml", knownKeys: keys)
    }

    init(_ audit: ImageAudit.Audit, file: ConfigFile?, environment: [String: String], today: String) throws {
        let sources = SettingSources(environment: environment, file: file)
        configPath = file?.path
        let format = try sources.value("format", audit.format?.rawValue).map { value, origin in
            guard let format = ReportFormat(rawValue: value) else {
                throw ValidationError("\(origin): unknown format '\(value)'")
            }
            return format
        }
        targets = try OutputTarget.plan(outputs: sources.list("output", audit.output), format: format)
        let strict = try sources.flag("strict", audit.strict)
        var failOn: FailOn = strict ? .warning : .error
        if let (value, origin) = sources.value("fail-on", audit.failOn) {
            guard let chosen = FailOn(rawValue: value) else {
                throw ValidationError("\(origin): '\(value)' is not one of error, warning, never")
            }
            if strict && chosen != .warning {
                throw ValidationError("--strict means --fail-on warning; it contradicts \(origin) \(value)")
            }
            failOn = chosen
        }
        var rules: [IgnoreRule] =
            file.map { file in
                file.ignores.map {
                    IgnoreRule(
                        code: $0.code, path: $0.path, image: $0.image, reason: $0.reason, until: $0.until,
                        source: file.path)
                }
            } ?? []
        for rule in rules where FindingCode(rawValue: rule.code) == nil {
            throw ValidationError("\(rule.source): ignore: '\(rule.code)' is not a finding code (docs/findings.md)")
        }
        for (value, origin) in sources.list("ignore", audit.ignore) {
            guard let rule = IgnoreRule(parsing: value, source: origin) else {
                throw ValidationError(
                    "\(origin): '\(value)' is not CODE or CODE:PATH with a finding code (docs/findings.md)")
            }
            rules.append(rule)
        }
        expiredIgnores = rules.filter { $0.isExpired(today: today) }
        policy = AuditPolicy(
            failOn: failOn, ignores: rules.filter { !$0.isExpired(today: today) },
            allowNotJudged: try sources.flag("allow-not-judged", audit.allowNotJudged))
        quiet = try sources.flag("quiet", audit.quiet)
        noColor = try sources.flag("no-color", audit.noColor)
        if let (value, origin) = sources.value("jobs", audit.jobs.map(String.init)) {
            guard let jobs = Int(value), jobs >= 1 else {
                throw ValidationError("\(origin) must be at least 1: \(value)")
            }
            self.jobs = jobs
        }
        if let (value, origin) = sources.value("shard", audit.shard) {
            guard let shard = Shard(parsing: value) else {
                throw ValidationError("\(origin) must be K/N with 1 ≤ K ≤ N, e.g. 2/8: '\(value)'")
            }
            self.shard = shard
        }
        var platform: Platform?
        if let (value, origin) = sources.value("platform", audit.images.selection.platform) {
            guard let parsed = Platform(parsing: value) else {
                throw ValidationError("\(origin) must be os/arch or os/arch/variant, e.g. linux/arm64/v8: '\(value)'")
            }
            platform = parsed
        }
        reader = ImageReader.Options(
            platform: platform, imageName: sources.value("image", audit.images.selection.image)?.value)
        reader.limits = audit.images.selection.limits.limits
        reader.remote = audit.images.selection.registry.source
        let entrypoint = try RunOverrideOptions.arguments(
            sources.list("entrypoint", audit.overrides.entrypoint).map(\.value), option: "--entrypoint")
        let cmd = try RunOverrideOptions.arguments(
            sources.list("cmd", audit.overrides.cmd).map(\.value), option: "--cmd")
        let env = sources.list("env", audit.overrides.process.env)
        if let bad = env.first(where: { !$0.value.contains("=") || $0.value.hasPrefix("=") }) {
            throw ValidationError("\(bad.origin) takes KEY=VALUE: '\(bad.value)'")
        }
        let overrides = RunOverrides(
            entrypoint: entrypoint, cmd: cmd, user: sources.value("user", audit.overrides.process.user)?.value,
            env: env.map(\.value))
        options = AuditOptions(
            overrides: overrides, allExecutables: try sources.flag("all-executables", audit.overrides.allExecutables),
            allModules: try sources.flag("all-modules", audit.overrides.allModules))
        sarif = SARIFReport.Options(
            location: sources.value("sarif-location", audit.sarifLocation)?.value,
            workingDirectory: FileManager.default.currentDirectoryPath,
            helpBase: sources.value("help-uri-base", audit.helpURIBase)?.value ?? SARIFReport.Options.defaultHelpBase)
    }
}
