import ImageAuditLoader

extension LibraryTree {
    /// The `DT_NEEDED` entries of object `index`, each loaded object expanded where it was first
    /// loaded (every object is loaded once, so the recursion ends).
    static func nodes(of index: Int, in report: LoadReport) -> [Node] {
        report.dependencies.filter { $0.requester == index }.map { node($0, in: report) }
    }

    static func node(_ dependency: Dependency, in report: LoadReport) -> Node {
        let searched = dependency.searched.map(step)
        switch dependency.outcome {
        case .loaded(let index):
            let object = report.objects[index]
            return Node(
                name: dependency.name, outcome: "loaded", path: object.path, resolvedPath: object.resolvedPath,
                rule: object.rule.map(rule), reason: nil, searched: searched, dependencies: nodes(of: index, in: report)
            )
        case .reused(let index, let because):
            let object = report.objects[index]
            let rule =
                because == SearchRule.muslItself.description
                ? Rule(kind: "musl-itself", owner: nil, text: because)
                : Rule(kind: "already-loaded", owner: nil, text: because)
            return Node(
                name: dependency.name, outcome: "reused", path: object.path, resolvedPath: object.resolvedPath,
                rule: rule,
                reason: index == 0 ? "the file itself" : "loaded as \(object.path)", searched: searched,
                dependencies: [])
        case .notFound:
            return Node(
                name: dependency.name, outcome: "not-found", path: nil, resolvedPath: nil, rule: nil, reason: nil,
                searched: searched, dependencies: [])
        case .failed(let path, let reason):
            return Node(
                name: dependency.name, outcome: "failed", path: path, resolvedPath: nil, rule: nil, reason: reason,
                searched: searched, dependencies: [])
        }
    }

    static func rule(_ rule: SearchRule) -> Rule {
        let (kind, owner): (String, String?) =
            switch rule {
            case .path: ("path", nil)
            case .rpath(let owner): ("rpath", owner)
            case .libraryPath: ("ld-library-path", nil)
            case .runpath(let owner): ("runpath", owner)
            case .cache: ("ld.so.cache", nil)
            case .defaultDirectory: ("default-directory", nil)
            case .muslPathFile(let file): ("musl-path-file", file)
            case .muslDefault: ("musl-default", nil)
            case .muslItself: ("musl-itself", nil)
            }
        return Rule(kind: kind, owner: owner, text: rule.description)
    }

    static func step(_ step: SearchStep) -> Step {
        Step(
            rule: rule(step.rule), location: step.location, candidates: step.candidates.map(candidate), note: step.note,
            text: ImageLoaderModel.describe(step))
    }

    static func candidate(_ candidate: ImageAuditLoader.Candidate) -> LibraryTree.Candidate {
        let result =
            switch candidate.result {
            case .accepted: "found"
            case .unavailable(let errno): errno == "ENOENT" ? "missing" : errno
            case .wrongClass: "wrong-class"
            case .wrongMachine: "wrong-machine"
            case .unusable: "unusable"
            case .skippedNoDefaultLibraries: "nodeflib"
            case .unknownContent: "unknown-content"
            }
        return LibraryTree.Candidate(path: candidate.path, result: result, reason: candidate.result.description)
    }
}
