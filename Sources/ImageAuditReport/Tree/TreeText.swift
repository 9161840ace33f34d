import ImageAuditCheck

/// `imageaudit tree` as text: a header, the tree with the rule that found each library, every
/// place searched for a library that was not found, then what stops the load and how to fix it.
public struct TreeText {
    /// Also list the places searched for libraries that were found.
    public var verbose = false

    public init(verbose: Bool = false) {
        self.verbose = verbose
    }

    public func render(_ tree: LibraryTree) -> String {
        var lines = [
            "\(tree.path): \(tree.file), \(tree.linkage)"
                + (tree.resolvedPath == tree.path ? "" : " (\(tree.resolvedPath))")
        ]
        if let interpreter = tree.interpreter {
            var facts = [interpreter.source]
            if let version = interpreter.glibcVersion {
                facts.append("glibc \(version)")
            } else {
                facts.append(tree.loader)
            }
            let resolved = interpreter.resolvedPath.map { $0 == interpreter.path ? "" : " -> \($0)" } ?? ""
            lines.append("  loader \(interpreter.path)\(resolved) (\(facts.joined(separator: ", ")))")
            if let directories = interpreter.defaultDirectories {
                lines.append("  default directories: \(directories.joined(separator: ":"))")
            }
        }
        let context = tree.context
        lines.append(
            "  LD_LIBRARY_PATH \(context.libraryPath.map { "=\($0)" } ?? "not set"), user \(context.user),"
                + " working directory \(context.workingDirectory)")
        lines += tree.notes.map { "  note: \($0)" }
        if !tree.dependencies.isEmpty {
            lines.append(tree.path)
            lines += render(tree.dependencies, prefix: "")
        }
        lines.append("")
        lines += problems(tree)
        // Lines are built from image data: every control character in them is shown, none is sent.
        return lines.map(TerminalText.escaped).joined(separator: "\n") + "\n"
    }

    private func render(_ nodes: [LibraryTree.Node], prefix: String) -> [String] {
        var lines: [String] = []
        for (position, node) in nodes.enumerated() {
            let last = position == nodes.count - 1
            let branch = prefix + (last ? "└── " : "├── ")
            let inner = prefix + (last ? "    " : "│   ")
            lines.append(branch + describe(node))
            let failed = node.outcome == "not-found" || node.outcome == "failed"
            if !node.searched.isEmpty && (failed || verbose) {
                lines.append(inner + (node.dependencies.isEmpty ? "  " : "│ ") + "searched, in order:")
                lines += node.searched.enumerated().map { index, step in
                    inner + (node.dependencies.isEmpty ? "  " : "│ ") + "  \(index + 1). \(step.text)"
                }
            }
            lines += render(node.dependencies, prefix: inner)
        }
        return lines
    }

    private func describe(_ node: LibraryTree.Node) -> String {
        let resolved = { (path: String) in node.resolvedPath.map { $0 == path ? "" : " -> \($0)" } ?? "" }
        switch node.outcome {
        case "loaded":
            let path = node.path ?? ""
            return "\(node.name) => \(path)\(resolved(path))  [\(node.rule?.text ?? "")]"
        case "reused":
            if node.rule?.kind == "musl-itself" { return "\(node.name): provided by musl itself" }
            return "\(node.name) => \(node.path ?? "") (already loaded: \(node.rule?.text ?? ""))"
        case "not-found":
            return "\(node.name): NOT FOUND"
        default:
            return "\(node.name): CANNOT BE LOADED: \(node.path ?? ""): \(node.reason ?? "")"
        }
    }

    private func problems(_ tree: LibraryTree) -> [String] {
        var lines: [String] = []
        for problem in tree.problems where problem.severity != "note" || !problem.cause.isEmpty {
            lines.append("\(problem.severity): " + (problem.message.isEmpty ? problem.cause : problem.message))
            if !problem.message.isEmpty && !problem.cause.isEmpty { lines.append("  why: \(problem.cause)") }
            lines += problem.fixes.map { "  fix: \($0)" }
        }
        let errors = tree.problems.filter { $0.severity == "error" }.count
        lines.append(
            tree.wouldLoad ? "result: loads" : "result: does not load (\(errors) error\(errors == 1 ? "" : "s"))")
        return lines
    }
}

/// `imageaudit tree --format json` (docs/tree.md).
public enum TreeJSON {
    public static func render(_ tree: LibraryTree) throws -> String {
        try ReportJSON.encode(tree, pretty: true) + "\n"
    }
}
