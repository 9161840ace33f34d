import Synchronization

/// What the layers of one read have kept so far, shared by the layers read in parallel, so the
/// entry and name limits of ``ReadLimits`` hold for the whole tarball, not per layer.
final class ReadTally: Sendable {
    private let entries = Atomic<Int>(0)
    private let nameBytes = Atomic<Int>(0)

    /// Counts one entry with `nameBytes` of path and link target; returns the new totals.
    func add(nameBytes bytes: Int) -> (entries: Int, nameBytes: Int) {
        (
            entries.add(1, ordering: .relaxed).newValue,
            nameBytes.add(bytes, ordering: .relaxed).newValue
        )
    }
}
