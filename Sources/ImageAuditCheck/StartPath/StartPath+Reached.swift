import ImageAuditFS
import Synchronization

/// The programs the start path reached that load native code when they import (Python, Node),
/// each in the process state it runs with, so the audit can check their modules too.
extension StartPath {
    /// One interpreter the start runs.
    struct Reached: Sendable {
        enum Kind: Sendable, Equatable { case python, node }
        var kind: Kind
        /// The path execve was given (not resolved: a venv's `bin/python` symlink matters).
        var program: String
        /// argv, environment, working directory, credentials, trail and whether it is conditional.
        var invocation: Invocation
    }

    /// Collects what one start reached; shared by the copies of ``StartPath`` a start makes.
    final class ReachedLog: Sendable {
        private let items = Mutex<[Reached]>([])
        func record(_ reached: Reached) { items.withLock { $0.append(reached) } }
        var all: [Reached] { items.withLock { $0 } }
    }

    /// ``start(_:)``, and the interpreters it reached: each one once (by program, argv, working
    /// directory and user), an unconditional start before a conditional one of the same.
    func startReaching(_ argv: [String]) -> (failures: [StartFailure], reached: [Reached]) {
        var path = self
        let log = ReachedLog()
        path.reachedLog = log
        let failures = path.start(argv)
        var seen: Set<String> = []
        var reached: [Reached] = []
        let all = log.all
        for item in all.filter({ $0.invocation.conditional == nil }) + all.filter({ $0.invocation.conditional != nil })
        {
            let key =
                ([item.program, item.invocation.workingDir, "\(item.invocation.credentials.uid)"]
                + item.invocation.argv).joined(separator: "\u{0}")
            if seen.insert(key).inserted { reached.append(item) }
        }
        return (failures, reached)
    }

    /// Records an interpreter that starts: its file was found (or what it runs was not judged).
    func record(_ interpreter: Interpreter, _ invocation: Invocation, program: String, failures: [StartFailure]) {
        guard let reachedLog else { return }
        let kind: Reached.Kind
        switch interpreter {
        case .python: kind = .python
        case .node: kind = .node
        default: return
        }
        let starts = failures.allSatisfy {
            if case .startPath(.notJudged) = $0.problem { true } else { false }
        }
        guard starts else { return }
        reachedLog.record(Reached(kind: kind, program: program, invocation: invocation))
    }
}
