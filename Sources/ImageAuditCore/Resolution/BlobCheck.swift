import ImageAuditOCI

/// Checks blobs against what names them: a descriptor's digest and size, a content-addressed
/// path, the config's diff IDs. A mismatch is an input error naming the
/// blob. Only sha256 digests can be checked (the only algorithm image tools use).
enum BlobCheck {
    /// Reads a JSON blob and checks it.
    static func document(
        _ reference: BlobReference, role: String, contents: any TarballContents
    )
        throws(ImageReadError) -> [UInt8]
    {
        let bytes = try contents.document(reference.entry, what: role)
        try check(reference, role: role, size: Int64(bytes.count), stored: JSONDocument.digest(of: bytes))
        return bytes
    }

    /// Checks a layer blob's summary; `diffID` is the config's entry for it.
    static func layer(
        _ reference: BlobReference, role: String, summary: LayerSummary, diffID: Digest?
    )
        throws(ImageReadError)
    {
        let stored = Digest(sha256: summary.storedDigest)
        let uncompressed = Digest(sha256: summary.diffID)
        try check(reference, role: role, size: summary.storedSize, stored: stored)
        if let diffID, diffID.algorithm == "sha256", diffID != uncompressed {
            throw ImageReadError(
                "\(role) \(reference.path): the config's diff_id is \(diffID), the uncompressed layer hashes to \(uncompressed)"
            )
        }
    }

    private static func check(
        _ reference: BlobReference, role: String, size: Int64, stored: Digest
    ) throws(ImageReadError) {
        let what = "\(role) \(reference.path)"
        if let expected = reference.size, expected != size {
            throw ImageReadError("\(what): the descriptor says \(expected) bytes, the blob has \(size)")
        }
        if let expected = reference.digest, expected.algorithm == "sha256", expected != stored {
            throw ImageReadError("\(what): sha256 mismatch: expected \(expected), the content hashes to \(stored)")
        }
    }
}
