import ImageAuditArchive
import ImageAuditFS

extension LayerSummarizer {
    /// Reads a layer a second time for just the files of ``LayerSummary/secondLooks``, keeping
    /// the ranges the first read learnt of too late, and puts their new contents in `summary`.
    /// Nothing is hashed (the first read checked the digests); every other entry's data is
    /// skipped, and the read stops after the last such file. When it fails, the first contents
    /// stay, and with them the findings that say those files were not read in full.
    func revisit(_ stored: any ByteStream, summary: inout LayerSummary) {
        guard !summary.secondLooks.isEmpty else { return }
        let looks = Dictionary(summary.secondLooks.map { ($0.ordinal, $0) }, uniquingKeysWith: { first, _ in first })
        do throws(ArchiveError) {
            let peekable = PeekableStream(stored)
            let compression = Compression.detect(try peekable.peek(Compression.magicLength))
            let tar: any ByteStream =
                compression == .none ? peekable : try decompressor.decompressing(peekable, as: compression)
            let reader = try ArchiveReader(stream: tar)
            var ordinal = 0
            var remaining = looks.count
            while remaining > 0, let entry = try reader.nextEntry() {
                defer { ordinal += 1 }
                guard let look = looks[ordinal] else { continue }
                remaining -= 1
                guard entry.kind == .regular, look.entryIndex < summary.entries.count,
                    summary.entries[look.entryIndex].path == entry.pathBytes
                else { continue }
                // Only the ELF ranges: whole-file captures and their budget were settled the
                // first time.
                var collector = ContentCollector(size: entry.size, dataLimit: nil, knownRanges: look.ranges)
                let (content, _) = try drain(&collector, reader: reader)
                summary.entries[look.entryIndex].content?.elf = content.elf
            }
        } catch {
            return
        }
        summary.secondLooks = []
    }
}
