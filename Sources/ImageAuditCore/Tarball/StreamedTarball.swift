import ImageAuditArchive

/// A tarball that can only be read once, front to back: standard input, a pipe, or a tarball
/// that is itself compressed. Entries may come in any order (`manifest.json` after the layers),
/// so every entry is handled as it passes: JSON documents are kept, every blob that looks like
/// a layer is summarised (which ones the image needs is known only at the end), the rest is
/// skipped. Layers nested in the outer tar are streamed through, never extracted.
final class StreamedTarball: TarballContents {
    private(set) var index = TarballIndex()
    private var documents: [String: [UInt8]] = [:]
    private var layerSummaries: [String: Result<LayerSummary, ArchiveError>] = [:]
    private var documentBytes = 0

    init(stream input: any ByteStream, summarizer: LayerSummarizer) throws(ImageReadError) {
        do {
            let peekable = PeekableStream(input)
            let compression = Compression.detect(try peekable.peek(Compression.magicLength))
            let tar = try summarizer.decompressor.decompressing(peekable, as: compression)
            let reader = try ArchiveReader(stream: tar)
            var seen = 0
            while let entry = try reader.nextEntry() {
                seen += 1
                try TarballLimits.checkOuterEntries(seen, summarizer.limits)
                index.add(entry)
                guard entry.kind == .regular, entry.size > 0 else { continue }
                try take(entry, from: reader, summarizer: summarizer)
            }
        } catch {
            throw ImageReadError(error.message)
        }
    }

    /// Keeps a document, summarises a layer, or passes over anything else.
    private func take(
        _ entry: ArchiveEntry, from reader: ArchiveReader, summarizer: LayerSummarizer
    )
        throws(ArchiveError)
    {
        let path = TarballIndex.clean(entry.pathBytes)
        let data = PeekableStream(ArchiveEntryStream(reader: reader))
        let prefix = try data.peek(512)
        if BlobSniffer.looksLikeLayer(prefix) {
            // A blob that fails to read is only an error if an image needs it; a failure of the
            // outer stream itself surfaces at the next header.
            let summary = Result { () throws(ArchiveError) in try summarizer.summarize(data) }
            // A limit stops everything: the rest of an endless layer is not skipped through.
            if case .failure(let error) = summary, error.isLimit {
                throw ArchiveError("layer \(path): \(error.message)")
            }
            layerSummaries[path] = summary
        } else if entry.size <= TarballLimits.maxDocumentSize
            && (entry.size <= TarballLimits.smallEntrySize || BlobSniffer.looksLikeJSON(prefix))
        {
            // Small entries are kept whatever they hold, so a broken document gets the same
            // message as in random access.
            guard documentBytes + Int(entry.size) <= TarballLimits.maxDocumentBytes else {
                throw ArchiveError("more than \(TarballLimits.maxDocumentBytes >> 20) MiB of JSON documents")
            }
            documents[path] = try data.readAll(limit: Int(entry.size))
            documentBytes += Int(entry.size)
        }
    }

    func document(_ entry: OuterEntry, what: String) throws(ImageReadError) -> [UInt8] {
        try TarballLimits.checkDocumentSize(entry, what: what)
        if let bytes = documents[entry.path] { return bytes }
        if entry.size == 0 { return [] }
        throw ImageReadError("\(what) \(entry.path) is not JSON")
    }

    func summaries(of entries: [OuterEntry]) -> [Result<LayerSummary, ArchiveError>] {
        entries.map { entry in
            if let summary = layerSummaries[entry.path] { return summary }
            if entry.size == 0 { return .failure(ArchiveError(LayerSummarizer.emptyBlob)) }
            return .failure(ArchiveError("not a layer: neither a tar archive nor gzip- or zstd-compressed"))
        }
    }
}
