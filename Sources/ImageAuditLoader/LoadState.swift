import ImageAuditELF
import ImageAuditFS

/// The process being built: loaded objects in order, the fate of every `DT_NEEDED`, problems.
struct LoadState {
    var objects: [LoadedObject] = []
    var files: [ELFFile] = []
    var nodes: [FileTree.NodeID] = []
    var dependencies: [Dependency] = []
    var problems: [LoaderProblem] = []
    /// For each object, for each of its `DT_NEEDED` names in order, the object that answered.
    var answers: [[Int?]] = []

    mutating func append(_ object: LoadedObject, file: ELFFile, node: FileTree.NodeID) -> Int {
        objects.append(object)
        files.append(file)
        nodes.append(node)
        answers.append([])
        return objects.count - 1
    }

    /// The loaded object that is this file (the loaders compare device and inode).
    func object(at node: FileTree.NodeID) -> Int? { nodes.firstIndex(of: node) }

    /// Records what became of `name`, needed by `requester`.
    mutating func record(_ requester: Int, _ name: String, _ outcome: Dependency.Outcome, searched: [SearchStep]) {
        dependencies.append(Dependency(requester: requester, name: name, outcome: outcome, searched: searched))
        switch outcome {
        case .loaded(let index), .reused(let index, _):
            answers[requester].append(index)
            if !objects[index].names.contains(name) { objects[index].names.append(name) }
        case .notFound, .failed:
            answers[requester].append(nil)
        }
    }

    /// The chain of objects that loaded `index`, itself first, ending at the program.
    func loaderChain(from index: Int) -> [Int] {
        var chain = [index]
        var current = index
        while let parent = objects[current].loadedBy, !chain.contains(parent) {
            chain.append(parent)
            current = parent
        }
        if chain.last != 0 { chain.append(0) }
        return chain
    }

    /// A report from the state.
    func report(program: String, loader: LoaderKind, interpreter: String?, glibc: GlibcInstallation?) -> LoadReport {
        LoadReport(
            program: program, loader: loader, interpreter: interpreter, glibc: glibc, objects: objects,
            dependencies: dependencies, problems: problems)
    }
}
