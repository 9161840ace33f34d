import Synchronization

/// Collects values from a `@Sendable` callback.
final class LockedList: Sendable {
    private let storage = Mutex<[String]>([])
    var items: [String] { storage.withLock { $0 } }
    func append(_ item: String) { storage.withLock { $0.append(item) } }
}
