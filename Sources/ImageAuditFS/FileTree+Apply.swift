/// Something in a layer that a real unpacker would refuse or could not apply; the entry was skipped.
public struct MergeIssue: Sendable, Hashable, CustomStringConvertible {
    public let path: [UInt8]
    public let problem: String

    public var description: String { "\(PathBytes.display(path)): \(problem)" }
}

/// The merged tree grew past the node limit given to ``FileTree/apply(_:nodeLimit:)``.
public struct TreeTooLarge: Error, Sendable, Hashable {
    public let limit: Int
}

/// Why an entry was skipped (internal: reported as a ``MergeIssue``).
struct SkippedEntry: Error {
    let text: String
}

extension FileTree {
    static let whiteoutPrefix = Array(".wh.".utf8)
    static let opaqueMarker = Array(".wh..wh..opq".utf8)
    static let metadataPrefix = Array(".wh..wh.".utf8)

    /// Applies one layer on top of the tree, the way containerd unpacks a layer onto its parent
    /// snapshot and the OCI image spec (`layer.md`) defines changesets.
    ///
    /// - Entry names are cleaned lexically (`./`, `//`, `..` clamped at the root); the parent
    ///   directory is then resolved inside the image, following symlinks, so `lib/x` lands in
    ///   `/usr/lib/x` when `/lib` is a symlink to `usr/lib`. Missing parents are created (0755).
    /// - `.wh.NAME` removes NAME from lower layers; `.wh..wh..opq` hides every lower child of its
    ///   directory wherever it stands among the layer's entries: what this layer itself put there
    ///   stays. Other `.wh..wh.` names are unpacker metadata and ignored.
    /// - A directory over a directory keeps the children; any other replacement removes the old
    ///   node with everything below it.
    /// - A hard link becomes a copy of its target's node (what `lstat` sees), resolved when met.
    /// - Returns: the entries that could not be applied, and why.
    @discardableResult
    public mutating func apply(_ layer: [LayerEntry]) -> [MergeIssue] {
        // Without a limit nothing is thrown.
        (try? apply(layer, nodeLimit: .max)) ?? []
    }

    /// ``apply(_:)`` that stops once the tree holds more than `nodeLimit` nodes (the root
    /// excluded): a hostile layer could otherwise create a parent directory per path component.
    /// - Throws: ``TreeTooLarge``; the tree is then partly merged and must not be judged.
    @discardableResult
    public mutating func apply(_ layer: [LayerEntry], nodeLimit: Int) throws(TreeTooLarge) -> [MergeIssue] {
        var issues: [MergeIssue] = []
        var unpacked = Set<NodeID>()
        for entry in layer {
            if let problem = apply(entry, unpacked: &unpacked) {
                issues.append(MergeIssue(path: entry.path, problem: problem))
            }
            if liveNodes > nodeLimit { throw TreeTooLarge(limit: nodeLimit) }
        }
        compactIfSparse()
        return issues
    }

    /// Applies one entry; returns a problem when it had to be skipped.
    private mutating func apply(_ entry: LayerEntry, unpacked: inout Set<NodeID>) -> String? {
        var components = PathBytes.lexicallyCleaned(entry.path)
        // Docker's AUFS bookkeeping (`/.wh..wh.plnk`, `/.wh..wh.aufs`) is skipped whole, as moby does.
        if let first = components.first, first.starts(with: Self.metadataPrefix), first != Self.opaqueMarker {
            return nil
        }
        guard let base = components.popLast() else {
            // The root itself (`./`): only a directory entry makes sense there.
            guard case .directory = entry.kind else { return "the image root cannot be replaced by a non-directory" }
            setAttributes(attributes(for: entry, type: .directory), of: Self.root)
            return nil
        }
        let parent: NodeID
        switch resolveParent(components, creating: &unpacked) {
        case .success(let node): parent = node
        case .failure(let error): return "parent directory unusable: \(error.errno.rawValue)"
        }

        if base == Self.opaqueMarker {
            removeLowerChildren(of: parent, keeping: unpacked)
            return nil
        }
        if base.starts(with: Self.metadataPrefix) { return nil }
        if base.starts(with: Self.whiteoutPrefix) {
            let name = Array(base.dropFirst(Self.whiteoutPrefix.count))
            if let victim = child(of: parent, named: name), !unpacked.contains(victim) {
                detach(victim)
            }
            return nil
        }

        var attributes = attributes(for: entry, type: entry.fileType)
        var content = entry.content
        if case .hardlink(let target) = entry.kind {
            switch hardlinkSource(target) {
            case .success(let source):
                attributes = self.attributes(of: source)
                content = self.content(of: source)
            case .failure(let problem):
                return problem.text
            }
        }

        if let existing = child(of: parent, named: base) {
            if attributes.type == .directory && self.attributes(of: existing).type == .directory {
                setAttributes(attributes, of: existing)
                unpacked.insert(existing)
                return nil
            }
            detach(existing)
        }
        unpacked.insert(addChild(base, to: parent, attributes: attributes, content: content))
        return nil
    }

    private func attributes(for entry: LayerEntry, type: FileType) -> FileAttributes {
        var symlinkTarget: [UInt8]?
        if case .symlink(let target) = entry.kind { symlinkTarget = target }
        // Linux has no symlink modes: an unpacker cannot set them and `lstat` always says 0777,
        // whatever the tar header held (writers differ: 0777, 0755, Python's 0644).
        let permissions = type == .symlink ? 0o777 : entry.permissions
        return FileAttributes(
            type: type, permissions: permissions, uid: entry.uid, gid: entry.gid,
            size: type == .regular ? entry.size : 0, symlinkTarget: symlinkTarget)
    }

    /// Walks to a directory through symlinks (inside the image), creating what is missing,
    /// like containerd's `RootPath` followed by `MkdirAll`.
    private mutating func resolveParent(_ components: [[UInt8]], creating unpacked: inout Set<NodeID>)
        -> Result<NodeID, LookupError>
    {
        var pending = Array(components.reversed())
        var stack = [Self.root]
        var symlinks = 0
        while let component = pending.popLast() {
            let directory = stack[stack.count - 1]
            if PathBytes.isParent(component) {
                if stack.count > 1 { stack.removeLast() }
                continue
            }
            guard let node = child(of: directory, named: component) else {
                let created = addChild(component, to: directory, attributes: .implicitDirectory, content: nil)
                unpacked.insert(created)
                stack.append(created)
                continue
            }
            let attributes = attributes(of: node)
            switch attributes.type {
            case .directory:
                stack.append(node)
            case .symlink:
                symlinks += 1
                guard symlinks <= Self.maxSymlinks else { return .failure(.tooManySymlinks) }
                let target = attributes.symlinkTarget ?? []
                if target.first == PathBytes.slash { stack = [Self.root] }
                pending.append(contentsOf: PathBytes.components(target).reversed())
            default:
                return .failure(.notADirectory(path: path(of: node)))
            }
        }
        return .success(stack[stack.count - 1])
    }

    /// The node a hard link names: parents resolved through symlinks, the last component not.
    private func hardlinkSource(_ target: [UInt8]) -> Result<NodeID, SkippedEntry> {
        var components = PathBytes.lexicallyCleaned(target)
        guard let base = components.popLast() else {
            return .failure(SkippedEntry(text: "hard link to the image root"))
        }
        let missing = "hard link target \(PathBytes.display(PathBytes.absolute(components + [base]))) does not exist"
        guard case .success(let parent) = resolve(PathBytes.absolute(components)),
            attributes(of: parent.node).type == .directory,
            let source = child(of: parent.node, named: base)
        else { return .failure(SkippedEntry(text: missing)) }
        guard attributes(of: source).type != .directory else {
            return .failure(
                SkippedEntry(text: "hard link target \(PathBytes.display(path(of: source))) is a directory"))
        }
        return .success(source)
    }

    /// An opaque directory: every child not put there by the current layer goes, and inside
    /// directories the current layer did put there, every lower child goes too.
    private mutating func removeLowerChildren(of directory: NodeID, keeping unpacked: Set<NodeID>) {
        for (_, node) in children(of: directory) {
            if unpacked.contains(node) {
                if attributes(of: node).type == .directory {
                    removeLowerChildren(of: node, keeping: unpacked)
                }
            } else {
                detach(node)
            }
        }
    }
}
