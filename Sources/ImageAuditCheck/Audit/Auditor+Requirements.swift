import ImageAuditFS
import ImageAuditLoader

extension Auditor {
    /// Every file content the audit, `inspect` and `tree` read whole, declared next to the code
    /// that reads it and applied by the layer reader (and by the test fixtures): accounts, the
    /// distribution, the package databases, ldconfig's configuration, and what the loader model
    /// reads. The total is a hard budget per tarball, whatever the image holds.
    public static let requirements: ContentRequirements = {
        var all = [
            UserDatabase.requirements, Distribution.requirements, PackageDatabase.requirements,
            LDSOConf.requirements, DynamicLoader.contentRequirements, PythonSysPath.requirements,
            StartPath.requirements, StartPath.npmRequirements, NodeRequires.requirements,
        ].reduce(ContentRequirements.none) { $0.merging($1) }
        all.totalBudget = 128 << 20
        return all
    }()
}
