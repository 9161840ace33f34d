import ImageAuditFS

/// The image's `/etc/passwd` and `/etc/group`, read from the merged filesystem.
struct UserDatabase: Sendable {
    struct User: Sendable, Hashable {
        var name: String
        var uid: UInt32
        var gid: UInt32
    }

    struct Group: Sendable, Hashable {
        var name: String
        var gid: UInt32
        var members: [String]
    }

    var users: [User]
    var groups: [Group]

    init(users: [User], groups: [Group]) {
        self.users = users
        self.groups = groups
    }

    /// Both files, read whole.
    static let requirements = ContentRequirements(
        [
            .init(.path("etc/passwd"), cap: 4 << 20, reason: "the container user"),
            .init(.path("etc/group"), cap: 4 << 20, reason: "the container user's groups"),
        ],
        totalBudget: 8 << 20)

    /// Reads both files inside the image (symlinks followed); a missing file is an empty list,
    /// as runc treats it.
    init(tree: FileTree) {
        users = Self.lines(tree, "/etc/passwd").compactMap { fields in
            guard fields.count >= 4, let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else { return nil }
            return User(name: fields[0], uid: uid, gid: gid)
        }
        groups = Self.lines(tree, "/etc/group").compactMap { fields in
            guard fields.count >= 3, let gid = UInt32(fields[2]) else { return nil }
            let members = fields.count > 3 ? fields[3].split(separator: ",").map(String.init) : []
            return Group(name: fields[0], gid: gid, members: members)
        }
    }

    /// The `:`-separated fields of each non-comment line of a small file in the image.
    private static func lines(_ tree: FileTree, _ path: String) -> [[String]] {
        guard case .success(let found) = tree.resolve(path), let data = tree.content(of: found.node)?.data else {
            return []
        }
        return String(decoding: data, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }
}

/// Why a `User` string cannot be turned into credentials.
enum UserProblem: Error, Sendable, Hashable {
    case unknownUser(String)
    case unknownGroup(String)
}

extension UserDatabase {
    /// runc's `user.GetExecUser` (libcontainer/user): `name|uid[:group|gid]`. Numbers match ids,
    /// names match names; a numeric uid or gid works without an entry, a name must exist. Without an explicit group, the user's
    /// groups in `/etc/group` become supplementary groups.
    func credentials(for spec: String) -> Result<Credentials, UserProblem> {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let userArg = parts.first ?? ""
        let groupArg = parts.count > 1 ? parts[1] : ""
        let numericUID = UInt32(userArg)

        var name = ""
        var uid: UInt32 = 0
        var gid: UInt32 = 0
        if userArg.isEmpty {
            if let root = users.first(where: { $0.uid == 0 }) { (name, gid) = (root.name, root.gid) }
        } else if let entry = users.first(where: { entry in
            numericUID.map { entry.uid == $0 } ?? (entry.name == userArg)
        }) {
            (name, uid, gid) = (entry.name, entry.uid, entry.gid)
        } else if let numericUID {
            uid = numericUID
        } else {
            return .failure(.unknownUser(userArg))
        }

        var supplementary: [UInt32] = []
        if !groupArg.isEmpty {
            let numericGID = UInt32(groupArg)
            if let group = groups.first(where: { group in numericGID.map { group.gid == $0 } ?? (group.name == groupArg)
            }) {
                gid = group.gid
            } else if let numericGID {
                gid = numericGID
            } else {
                return .failure(.unknownGroup(groupArg))
            }
        } else if !name.isEmpty {
            supplementary = groups.filter { $0.members.contains(name) }.map(\.gid)
        }
        return .success(Credentials(uid: uid, gid: gid, supplementaryGroups: supplementary))
    }
}
