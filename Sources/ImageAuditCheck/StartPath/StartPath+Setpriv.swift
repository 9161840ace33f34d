import ImageAuditFS

/// `setpriv --reuid=U --regid=G --init-groups|--clear-groups|--keep-groups [--] PROGRAM`
/// (util-linux): names through the image's passwd and group (getpwnam first, then a number),
/// then glibc's execvp as the new user. Wording and status checked live with util-linux 2.38.1
/// (Debian bookworm): `setpriv: failed to execute X: No such file or directory` (127; 126 for
/// any other errno), `setpriv: failed to parse reuid: 'x'` (1), `setpriv: --[re]gid requires
/// --keep-groups, --clear-groups, --init-groups, or --groups` (1). Other options (capabilities,
/// securebits, --reset-env, --ruid/--euid apart…) and a non-root caller are not judged.
extension StartPath {
    func setpriv(_ invocation: Invocation, program: String, depth: Int) -> [StartFailure] {
        let name = ImagePath.basename(invocation.argv.first ?? program)
        var args = Array(invocation.argv.dropFirst())[...]
        var uid: String?
        var gid: String?
        var groups: String?
        func usage(_ text: String) -> [StartFailure] {
            [
                failure(
                    invocation, .shellError(shell: name, status: 1), message: "\(name): \(text)",
                    chain: ["\(name) exits with status 1 before it runs anything"])
            ]
        }
        while let arg = args.first, arg.hasPrefix("-") {
            args.removeFirst()
            if arg == "--" { break }
            let parts = arg.split(separator: "=", maxSplits: 1).map(String.init)
            let option = parts[0]
            func value() -> String? { parts.count > 1 ? parts[1] : args.popFirst() }
            switch option {
            case "--reuid": uid = value()
            case "--regid": gid = value()
            case "--clear-groups", "--keep-groups", "--init-groups": groups = option
            case "--nnp", "--no-new-privs": continue
            case "-h", "--help", "-V", "--version", "-d", "--dump", "--list-caps": return []
            default:
                return [notJudged(invocation, what: name, reason: "setpriv's option \(option) is not modelled")]
            }
            if (option == "--reuid" && uid == nil) || (option == "--regid" && gid == nil) {
                return [notJudged(invocation, what: name, reason: "setpriv \(option) without a value")]
            }
        }
        guard let command = args.first else { return usage("No program specified") }
        guard invocation.credentials.uid == 0 || (uid == nil && gid == nil) else {
            return [
                notJudged(
                    invocation, what: name,
                    reason: "setpriv run by uid \(invocation.credentials.uid): whether it "
                        + "may change its ids depends on capabilities the audit does not model")
            ]
        }
        let users = UserDatabase(tree: model.tree)
        var next = invocation
        if let gid {
            guard groups != nil else {
                return usage("--[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups")
            }
            guard let number = users.groups.first(where: { $0.name == gid })?.gid ?? UInt32(gid) else {
                return usage("failed to parse regid: '\(gid)'")
            }
            next.credentials.gid = number
        }
        var entry: UserDatabase.User?
        if let uid {
            entry = users.users.first { $0.name == uid }
            guard let number = entry?.uid ?? UInt32(uid) else { return usage("failed to parse reuid: '\(uid)'") }
            entry = entry ?? users.users.first { $0.uid == number }
            next.credentials.uid = number
        }
        switch groups {
        case "--clear-groups": next.credentials.supplementaryGroups = []
        case "--init-groups":
            guard uid != nil else { return usage("--init-groups requires --ruid or --reuid") }
            guard let entry else {
                return usage(
                    "uid \(next.credentials.uid) not found, --init-groups requires an user that can be found on the system"
                )
            }
            // initgroups(3): the passwd entry's group and every group that lists the user.
            next.credentials.supplementaryGroups =
                [entry.gid] + users.groups.filter { $0.members.contains(entry.name) }.map(\.gid)
        default: break
        }
        next.argv = Array(args)
        next.trail = invocation.trail + [name]
        let wording = WrapperWording(
            notFound: "\(name): failed to execute \(command): No such file or directory",
            refused: "\(name): failed to execute \(command): Permission denied",
            execFailed: { "\(name): failed to execute \(command): \($0.strerror)" }, status: 127)
        return find(command, next, runner: name, wording: wording, depth: depth)
    }
}
