import ImageAuditArchive
import ImageAuditELF
import ImageAuditFS

/// Reads one layer blob front to back: hashes it as stored, recognises and undoes its
/// compression, hashes the tar stream, and turns each entry into a ``LayerEntry``.
/// One sequential pass; memory follows the number of entries and the required contents.
struct LayerSummarizer: Sendable {
    var requirements: ContentRequirements
    var decompressor: any Decompressor
    /// Shared by every layer of one read.
    var budget: ContentBudget
    var limits: ReadLimits
    /// Entries and name bytes kept so far by every layer of one read (``ReadLimits``).
    let tally: ReadTally
    /// Decompress on a thread of its own, ahead of the hashing and tar parsing
    /// (``PipelinedStream``): set when the read may use more than one core.
    var pipelined = false

    init(requirements: ContentRequirements, decompressor: any Decompressor, limits: ReadLimits = ReadLimits()) {
        self.requirements = requirements
        self.decompressor = decompressor
        self.limits = limits
        budget = ContentBudget(total: requirements.totalBudget)
        tally = ReadTally()
    }

    /// What an empty blob is called, whichever way the tarball is read.
    static let emptyBlob = "empty blob, not a tar archive"

    func summarize(_ stored: any ByteStream) throws(ArchiveError) -> LayerSummary {
        let storedHash = HashingStream(stored)
        let peekable = PeekableStream(storedHash)
        let magic = try peekable.peek(Compression.magicLength)
        guard !magic.isEmpty else { throw ArchiveError(Self.emptyBlob) }
        let compression = Compression.detect(magic)
        let tarHash: HashingStream
        if compression == .none {
            tarHash = HashingStream(peekable)
        } else {
            let tar = try decompressor.decompressing(peekable, as: compression)
            tarHash = HashingStream(pipelined ? PipelinedStream(tar) : tar)
        }
        let reader = try ArchiveReader(stream: tarHash)
        var entries: [LayerEntry] = []
        var skipped: [String] = []
        var secondLooks: [SecondLook] = []
        var ordinal = 0
        while let entry = try reader.nextEntry() {
            defer { ordinal += 1 }
            try checkLimits(entry)
            if let (layerEntry, secondLook) = try layerEntry(entry, reader: reader) {
                if let secondLook {
                    secondLooks.append(SecondLook(ordinal: ordinal, entryIndex: entries.count, ranges: secondLook))
                }
                entries.append(layerEntry)
            } else {
                skipped.append(entry.path)
            }
        }
        // The tar reader stops at the end-of-archive blocks; the digests cover everything
        // (eStargz keeps its table of contents after them).
        let diffID = try tarHash.finish()
        let storedDigest = compression == .none ? diffID : try storedHash.finish()
        return LayerSummary(
            entries: entries, storedDigest: storedDigest, storedSize: storedHash.byteCount, diffID: diffID,
            uncompressedSize: tarHash.byteCount, compression: LayerCompression(rawValue: compression.rawValue) ?? .none,
            skipped: skipped, secondLooks: secondLooks)
    }

    /// The ``LayerEntry`` of one tar entry, reading as much of a regular file as the requirements and
    /// the ELF reader need; nil for entry types a filesystem cannot hold.
    /// With the ranges a second look must keep, for an ELF file whose tables passed unkept.
    private func layerEntry(
        _ entry: ArchiveEntry, reader: ArchiveReader
    ) throws(ArchiveError) -> (LayerEntry, [Range<Int>]?)? {
        let kind: LayerEntry.Kind
        var content: FileContent?
        var secondLook: [Range<Int>]?
        switch entry.kind {
        case .regular:
            kind = .regular
            (content, secondLook) = try collect(entry, reader: reader)
            if case .success(let elf) = content?.elf, elf.needed.count > limits.needed {
                let what = "\(PathBytes.display(entry.pathBytes)) lists \(elf.needed.count) DT_NEEDED libraries"
                throw ArchiveError(ReadLimits.exceeded(what, limits.needed, flag: "max-needed"), isLimit: true)
            }
        case .directory: kind = .directory
        case .symlink: kind = .symlink(target: entry.linkTarget ?? [])
        case .hardlink: kind = .hardlink(target: entry.linkTarget ?? [])
        case .characterDevice: kind = .characterDevice
        case .blockDevice: kind = .blockDevice
        case .fifo: kind = .fifo
        case .socket: kind = .socket
        case .unknown: return nil
        }
        let layerEntry = LayerEntry(
            path: entry.pathBytes, kind: kind, permissions: entry.permissions, uid: UInt32(clamping: entry.uid),
            gid: UInt32(clamping: entry.gid), size: entry.kind == .regular ? entry.size : 0, content: content)
        return (layerEntry, secondLook)
    }

    /// Stops the read at an entry beyond any real image: path too long or too deep, too many
    /// entries or name bytes in all layers together.
    private func checkLimits(_ entry: ArchiveEntry) throws(ArchiveError) {
        let path = entry.pathBytes
        let name = PathBytes.display(Array(path.prefix(64))) + (path.count > 64 ? "…" : "")
        let linkLength = entry.linkTarget?.count ?? 0
        if max(path.count, linkLength) > limits.pathLength {
            throw ArchiveError(
                ReadLimits.exceeded(
                    "entry \(name): a path of \(max(path.count, linkLength)) bytes", limits.pathLength,
                    flag: "max-path-length"), isLimit: true)
        }
        let depth = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).count
        if depth > limits.pathDepth {
            throw ArchiveError(
                ReadLimits.exceeded(
                    "entry \(name): a path \(depth) directories deep", limits.pathDepth,
                    flag: "max-path-depth"), isLimit: true)
        }
        let (entries, bytes) = tally.add(nameBytes: path.count + linkLength)
        if entries > limits.entries {
            throw ArchiveError(
                ReadLimits.exceeded("layer entries in this tarball", limits.entries, flag: "max-entries"),
                isLimit: true)
        }
        if bytes > limits.nameBytes {
            throw ArchiveError(
                ReadLimits.exceeded("bytes of entry names in this tarball", limits.nameBytes, flag: "max-name-bytes"),
                isLimit: true)
        }
    }

    /// Reads a regular file's data as far as its ``ContentCollector`` wants it.
    func collect(_ entry: ArchiveEntry, reader: ArchiveReader) throws(ArchiveError) -> (FileContent, [Range<Int>]?) {
        let components = PathBytes.lexicallyCleaned(entry.pathBytes)
        var collector = ContentCollector(
            size: entry.size, dataLimit: requirements.limit(forPath: components), headRules: requirements,
            budget: budget)
        return try drain(&collector, reader: reader)
    }

    /// Feeds a collector the entry's blocks while it wants them.
    func drain(
        _ collector: inout ContentCollector, reader: ArchiveReader
    ) throws(ArchiveError) -> (FileContent, [Range<Int>]?) {
        while collector.needsMoreBytes, let block = try reader.nextDataBlock() {
            collector.feed(block.bytes, at: block.offset)
        }
        return collector.finishing()
    }
}
