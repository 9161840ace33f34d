import ImageAuditArchive

/// An uncompressed tarball in a regular file: one index pass over the headers (entry data is
/// skipped, not read), then documents and layers are read as byte ranges of the file, the
/// layers in parallel.
final class RandomAccessTarball: TarballContents {
    let index: TarballIndex
    private let path: String
    private let file: OpenFile
    private let summarizer: LayerSummarizer
    private let jobs: Int

    init(path: String, file: OpenFile, summarizer: LayerSummarizer, jobs: Int) throws(ImageReadError) {
        self.path = path
        self.file = file
        self.summarizer = summarizer
        self.jobs = jobs
        var index = TarballIndex()
        do {
            // Small blocks: after each header only a little is read ahead before the skip.
            let reader = try ArchiveReader(
                stream: FileRangeStream(file: file, range: 0..<file.size, blockSize: 16 * 1024))
            var seen = 0
            while let entry = try reader.nextEntry() {
                seen += 1
                try TarballLimits.checkOuterEntries(seen, summarizer.limits)
                index.add(entry)
            }
        } catch {
            throw ImageReadError(error.message)
        }
        self.index = index
    }

    func document(_ entry: OuterEntry, what: String) throws(ImageReadError) -> [UInt8] {
        try TarballLimits.checkDocumentSize(entry, what: what)
        do {
            return try FileRangeStream(file: file, range: entry.dataRange).readAll(limit: Int(entry.size))
        } catch {
            throw ImageReadError.reading("\(what) \(entry.path)", error)
        }
    }

    func summaries(of entries: [OuterEntry]) -> [Result<LayerSummary, ArchiveError>] {
        LayerPool.summarize(path: path, ranges: entries.map(\.dataRange), jobs: jobs, summarizer: summarizer)
    }
}
