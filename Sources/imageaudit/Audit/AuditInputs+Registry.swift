import ImageAuditRegistry

/// What the command line's arguments expand to, registry references included.
struct ExpandedInputs {
    var inputs: [AuditInput] = []
    /// Directories that held no tarball.
    var emptyDirectories: [String] = []
    /// Whether an argument was a directory, a repository or a catalog (bulk mode).
    var sawDirectory = false
    /// Arguments that could not be listed: `(argument, message)`, an error each.
    var failures: [(String, String)] = []
    /// Repositories of a catalog with no tags: `(reference, shard key, message)`, a note each.
    var skipped: [(String, String, String)] = []
}

extension AuditInputs {
    /// As ``expand(_:)``, with registry references too: `docker://HOST/REPO:TAG` is one input;
    /// `docker://HOST/REPO` every tag and `docker://HOST/` every tag of every repository, like a
    /// directory (bulk mode). Each image is keyed `REPO:TAG` for `--shard`. A listing that fails
    /// is one unreadable input, and the other arguments go on. A repository of the catalog with
    /// no tags (the registry answers 404 `NAME_UNKNOWN` or `"tags": null`) is skipped with a
    /// note; named alone, it is an error ("no tags"): nothing it names can be audited.
    static func expand(_ arguments: [String], registry: RegistryOptions) -> ExpandedInputs {
        var expanded = ExpandedInputs()
        let listing = RegistryListing(options: registry)
        for argument in arguments {
            guard RegistryReference.isReference(argument) else {
                let files = expand([argument])
                expanded.inputs += files.inputs
                expanded.emptyDirectories += files.emptyDirectories
                expanded.sawDirectory = expanded.sawDirectory || files.sawDirectory
                continue
            }
            do throws(RegistryError) {
                let reference = try RegistryReference(parsing: argument)
                var images: [RegistryReference] = []
                switch reference.target {
                case .tag, .digest:
                    images = [reference]
                case .repository:
                    expanded.sawDirectory = true
                    if let tagged = try tags(of: reference, listing: listing) {
                        images = tagged
                        if images.isEmpty { expanded.failures.append((argument, noTags)) }
                    } else {
                        expanded.failures.append(
                            (argument, noTags + " (the registry does not know the repository: HTTP 404)"))
                    }
                case .catalog:
                    expanded.sawDirectory = true
                    let names = try listing.repositories(reference)
                    for name in names {
                        let repository = RegistryReference(host: reference.host, repository: name, target: .repository)
                        do throws(RegistryError) {
                            let tagged = try tags(of: repository, listing: listing) ?? []
                            if tagged.isEmpty {
                                expanded.skipped.append(
                                    (repository.description, repository.shardKey, noTags + ": skipped"))
                            }
                            images += tagged
                        } catch {
                            // One repository whose tags cannot be listed is its own error; the rest go on.
                            expanded.failures.append((repository.description, error.message))
                        }
                    }
                    if names.isEmpty {
                        expanded.failures.append((argument, "the catalog is empty"))
                    } else if images.isEmpty {
                        expanded.failures.append((argument, "no repository of the catalog has tags"))
                    }
                }
                let listed = reference.target == .repository || reference.target == .catalog
                expanded.inputs += images.map {
                    AuditInput(path: $0.description, shardKey: $0.shardKey, listed: listed)
                }
            } catch {
                expanded.failures.append((argument, error.message))
            }
        }
        return expanded
    }

    static let noTags = "no tags"

    /// The summary's word for what the arguments give: `tarball` (files, directories, layouts),
    /// `reference` (registry images), `input` (both).
    static func noun(for arguments: [String]) -> String {
        let remote = arguments.filter(RegistryReference.isReference).count
        return remote == 0 ? "tarball" : remote == arguments.count ? "reference" : "input"
    }

    /// The repository's tags as images; nil when the registry does not know the repository
    /// by name (docker-registry's answer for one its catalog lists after a failed push).
    private static func tags(
        of repository: RegistryReference, listing: RegistryListing
    ) throws(RegistryError) -> [RegistryReference]? {
        do throws(RegistryError) {
            return try listing.tags(of: repository).map(repository.tagged)
        } catch {
            if error.unknownRepository { return nil }
            throw error
        }
    }
}
