import ImageAuditRegistry

extension AuditInputs {
    /// As ``expand(_:)``, with registry references too: `docker://HOST/REPO:TAG` is one input;
    /// `docker://HOST/REPO` every tag and `docker://HOST/` every tag of every repository, like a
    /// directory (bulk mode). Each image is keyed `REPO:TAG` for `--shard`. A listing that fails
    /// is one unreadable input, and the other arguments go on.
    static func expand(
        _ arguments: [String], registry: RegistryOptions
    ) -> (inputs: [AuditInput], emptyDirectories: [String], sawDirectory: Bool, failures: [(String, String)]) {
        var inputs: [AuditInput] = []
        var empty: [String] = []
        var sawDirectory = false
        var failures: [(String, String)] = []
        let listing = RegistryListing(options: registry)
        for argument in arguments {
            guard RegistryReference.isReference(argument) else {
                let expanded = expand([argument])
                inputs += expanded.inputs
                empty += expanded.emptyDirectories
                sawDirectory = sawDirectory || expanded.sawDirectory
                continue
            }
            do throws(RegistryError) {
                let reference = try RegistryReference(parsing: argument)
                switch reference.target {
                case .tag, .digest: break
                case .repository, .catalog: sawDirectory = true
                }
                var images: [RegistryReference] = []
                if reference.target == .catalog {
                    // One repository whose tags cannot be listed is its own error; the rest go on.
                    for name in try listing.repositories(reference) {
                        let repository = RegistryReference(host: reference.host, repository: name, target: .repository)
                        do throws(RegistryError) {
                            images += try listing.tags(of: repository).map(repository.tagged)
                        } catch {
                            failures.append((repository.description, error.message))
                        }
                    }
                } else {
                    images = try listing.images(reference)
                }
                if images.isEmpty {
                    failures.append((argument, reference.target == .catalog ? "the catalog is empty" : "no tags"))
                }
                inputs += images.map { AuditInput(path: $0.description, shardKey: $0.shardKey) }
            } catch {
                failures.append((argument, error.message))
            }
        }
        return (inputs, empty, sawDirectory, failures)
    }
}
