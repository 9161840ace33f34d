import Synchronization

/// The bytes one read of a tarball may keep as whole files (``ContentRequirements/totalBudget``),
/// shared by the layers read in parallel: once spent, further files are kept without data and
/// marked withheld, so memory stays bounded whatever the image holds.
final class ContentBudget: Sendable {
    let total: Int
    private let spent = Atomic<Int>(0)

    init(total: Int) {
        self.total = total
    }

    /// Takes `bytes` from the budget; false (and nothing taken) when they do not fit.
    func take(_ bytes: Int) -> Bool {
        var current = spent.load(ordering: .relaxed)
        while true {
            guard current + bytes <= total else { return false }
            let (exchanged, original) = spent.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }
}
