/// The merged filesystem of an image: every layer applied in order, as a container sees it.
///
/// Nodes live in one flat array and refer to each other by index, so the tree is a plain value
/// (`Sendable`, cheap to share once built). Removed subtrees stay in the array, unreachable, until
/// ``apply(_:)`` ends: when they outnumber the live nodes the array is rebuilt, so memory follows
/// the merged tree, not the entries applied (a layer listed 1,000 times costs one layer).
public struct FileTree: Sendable {
    /// The identity of a node; stable for the life of the tree.
    public struct NodeID: Hashable, Sendable, Comparable {
        let index: Int32
        init(_ index: Int32) { self.index = index }
        public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.index < rhs.index }
    }

    struct Record: Sendable {
        var name: [UInt8]
        var parent: NodeID
        var attributes: FileAttributes
        var children: [[UInt8]: NodeID] = [:]
        var content: FileContent?
    }

    var records: [Record]
    /// Nodes reachable from the root, the root excluded.
    private(set) var liveNodes = 0

    /// The root directory.
    public static let root = NodeID(0)

    /// An empty tree: just `/`, mode 0755, owned by root.
    public init() {
        records = [Record(name: [], parent: Self.root, attributes: .implicitDirectory)]
    }

    // MARK: - Reading nodes

    /// What `lstat` says about a node.
    public func attributes(of node: NodeID) -> FileAttributes { records[Int(node.index)].attributes }

    /// What the layer reader kept of a regular file's bytes.
    public func content(of node: NodeID) -> FileContent? { records[Int(node.index)].content }

    /// The name of a node within its directory (empty for the root).
    public func name(of node: NodeID) -> [UInt8] { records[Int(node.index)].name }

    /// The directory that holds a node (the root for the root).
    public func parent(of node: NodeID) -> NodeID { records[Int(node.index)].parent }

    /// A directory's entries, sorted by name bytes.
    public func children(of node: NodeID) -> [(name: [UInt8], node: NodeID)] {
        records[Int(node.index)].children
            .map { (name: $0.key, node: $0.value) }
            .sorted { $0.name.lexicographicallyPrecedes($1.name) }
    }

    /// The entry `name` of a directory, without following symlinks.
    public func child(of directory: NodeID, named name: [UInt8]) -> NodeID? {
        records[Int(directory.index)].children[name]
    }

    /// The absolute path of a node, through its parents.
    public func path(of node: NodeID) -> [UInt8] {
        var names: [[UInt8]] = []
        var current = node
        while current != Self.root {
            names.append(records[Int(current.index)].name)
            current = records[Int(current.index)].parent
        }
        return PathBytes.absolute(names.reversed())
    }

    /// Every node below the root, depth first in name order, with its absolute path.
    public func walk(_ body: (_ path: [UInt8], _ node: NodeID) throws -> Void) rethrows {
        func visit(_ directory: NodeID, _ prefix: [UInt8]) throws {
            for (name, node) in children(of: directory) {
                let path = prefix + [PathBytes.slash] + name
                try body(path, node)
                if records[Int(node.index)].attributes.type == .directory {
                    try visit(node, path)
                }
            }
        }
        try visit(Self.root, [])
    }

    /// How many nodes the merged tree holds, the root excluded.
    public var nodeCount: Int {
        var count = 0
        walk { _, _ in count += 1 }
        return count
    }

    // MARK: - Changing nodes (used by `apply`)

    mutating func addChild(_ name: [UInt8], to directory: NodeID, attributes: FileAttributes, content: FileContent?)
        -> NodeID
    {
        let id = NodeID(Int32(records.count))
        records.append(Record(name: name, parent: directory, attributes: attributes, content: content))
        records[Int(directory.index)].children[name] = id
        liveNodes += 1
        return id
    }

    mutating func detach(_ node: NodeID) {
        let record = records[Int(node.index)]
        records[Int(record.parent.index)].children[record.name] = nil
        // Each node is counted once, when it becomes unreachable: linear over all applies.
        var pending = [node]
        while let next = pending.popLast() {
            liveNodes -= 1
            pending.append(contentsOf: records[Int(next.index)].children.values)
        }
    }

    /// Drops unreachable records once they outnumber the live ones; renumbers the nodes, so it
    /// runs only between layers, when no caller holds a ``NodeID``.
    mutating func compactIfSparse() {
        let dead = records.count - 1 - liveNodes
        guard dead > max(1024, liveNodes) else { return }
        var compacted: [Record] = []
        compacted.reserveCapacity(liveNodes + 1)
        var root = records[0]
        root.children = [:]
        compacted.append(root)
        // Breadth first: a parent is always copied before its children.
        var queue: [(old: NodeID, new: NodeID)] = [(Self.root, Self.root)]
        var head = 0
        while head < queue.count {
            let (old, new) = queue[head]
            head += 1
            for (name, child) in records[Int(old.index)].children {
                var record = records[Int(child.index)]
                record.parent = new
                record.children = [:]
                let id = NodeID(Int32(compacted.count))
                compacted.append(record)
                compacted[Int(new.index)].children[name] = id
                queue.append((child, id))
            }
        }
        records = compacted
    }

    mutating func setAttributes(_ attributes: FileAttributes, of node: NodeID) {
        records[Int(node.index)].attributes = attributes
    }
}
