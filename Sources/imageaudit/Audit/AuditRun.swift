import Dispatch
import ImageAuditCheck
import ImageAuditCore
import ImageAuditKit
import ImageAuditReport
import Synchronization

/// Audits many tarballs, `jobs` at a time, and writes what each gives as soon as it is done:
/// one worker thread per job, each reading and auditing a whole tarball (its layers then read
/// by `readerJobs` threads, so one big tarball alone, or the last ones of a run, when fewer are
/// left than workers, still use every core).
/// An unreadable tarball is reported and counted; the others go on.
struct AuditRun: Sendable {
    var audit: TarballAudit
    var options: AuditOptions
    var jobs: Int

    /// What one tarball gave.
    enum Outcome: Sendable {
        case audited([AuditResult])
        case unreadable(String)
        /// A registry tag found by listing that holds no image (a signature, an SBOM): the note.
        case skipped(String)
    }

    /// Runs the audit; `finished` is called once per input, in the order they finish, never
    /// twice at once (it holds the output lock).
    func run(_ inputs: [AuditInput], finished: @escaping @Sendable (Int, AuditInput, Outcome) -> Void) {
        guard !inputs.isEmpty else { return }
        let workers = max(1, min(jobs, inputs.count))
        let next = Atomic<Int>(0)
        let output = Mutex<Void>(())
        let work: @Sendable (Int) -> Void = { [audit, options] _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < inputs.count else { return }
                let input = inputs[index]
                let outcome: Outcome
                var audit = audit
                audit.reader.options.jobs = Self.readerJobs(jobs: jobs, workers: workers, left: inputs.count - index)
                audit.reader.options.regularFilesOnly = input.scanned
                do throws(ImageReadError) {
                    outcome = .audited(try audit.audit(reading: input.path, options: options))
                } catch {
                    if input.listed, let kind = error.notAnImage {
                        outcome = .skipped("not an image (\(kind)): skipped")
                    } else {
                        outcome = .unreadable(error.message)
                    }
                }
                output.withLock { _ in finished(index, input, outcome) }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
    }

    /// The threads one tarball's layers get: an equal share of `jobs` while every worker has a
    /// tarball to read; once fewer tarballs are left than workers (this one included), the
    /// workers about to go idle leave their share to these, so the run's tail keeps the cores busy.
    static func readerJobs(jobs: Int, workers: Int, left: Int) -> Int {
        max(1, jobs / max(1, min(workers, left)))
    }
}
