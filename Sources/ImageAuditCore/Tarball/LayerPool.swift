import Dispatch
import ImageAuditArchive
import Synchronization

/// Reads layer blobs that are byte ranges of one file, several at a time. Each worker opens the
/// file itself and owns its libarchive handles (they are never shared between threads); the
/// results come back in the order asked, whatever order they finish in.
enum LayerPool {
    static func summarize(
        path: String, ranges: [Range<Int64>], jobs: Int, summarizer: LayerSummarizer
    )
        -> [Result<LayerSummary, ArchiveError>]
    {
        let workers = max(1, min(jobs, ranges.count))
        // Largest first, so one big layer started last does not leave the other workers idle.
        let order = ranges.indices.sorted { ranges[$0].count > ranges[$1].count }
        let next = Atomic<Int>(0)
        let results = Mutex<[Result<LayerSummary, ArchiveError>?]>(Array(repeating: nil, count: ranges.count))

        let work: @Sendable (Int) -> Void = { _ in
            // Random access means a regular file: never block if it was swapped for a FIFO.
            let file = Result { () throws(ArchiveError) in try OpenFile(path: path, regularOnly: true) }
            while true {
                let claimed = next.add(1, ordering: .relaxed).oldValue
                guard claimed < order.count else { return }
                let item = order[claimed]
                let result = file.flatMap { file in
                    Result { () throws(ArchiveError) in
                        var summary = try summarizer.summarize(FileRangeStream(file: file, range: ranges[item]))
                        // The blob is a byte range of a file: tables a file's dynamic section
                        // points back to can be read on a second pass.
                        summarizer.revisit(FileRangeStream(file: file, range: ranges[item]), summary: &summary)
                        return summary
                    }
                }
                results.withLock { $0[item] = result }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return results.withLock { stored in
            stored.map { $0 ?? .failure(ArchiveError("not read")) }
        }
    }
}
