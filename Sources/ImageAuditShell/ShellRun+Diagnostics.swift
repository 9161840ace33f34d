/// The shells' own error wording (each checked against dash 0.5.12, bash 5.2 and busybox 1.35 here).
extension ShellRun {
    /// What precedes a message: dash `NAME: LINE: [CMD: ]`, bash `NAME: line LINE: [CMD: ]`,
    /// busybox `NAME: [CMD: ][line N: ]` where N is one less than the line in `-c` strings.
    func diagnosticPrefix(_ state: ShellState, command: String?) -> String {
        let line = currentLine
        switch dialect {
        case .dash:
            return "\(state.name): \(line): " + (command.map { "\($0): " } ?? "")
        case .bash:
            // bash names a function defined in a `-c` string "environment" (checked with bash 5.2).
            let name = isCommandString && state.functionDepth > 0 ? "environment" : state.name
            // With $0 exactly "bash" (`bash -c …`), bash shows no number for line 1 (checked with bash 5.2).
            let place = name == "bash" && line == 1 ? "" : "line \(line): "
            return "\(name): " + place + (command.map { "\($0): " } ?? "")
        case .busyboxAsh:
            // ash's `commandname`: the builtin's name, else $0 when a script or `-c … NAME` runs.
            let nameGiven: Bool
            switch invocation {
            case .commandString(_, let name): nameGiven = name != nil
            case .scriptFile: nameGiven = true
            }
            let commandName = command ?? (nameGiven ? state.name : nil)
            guard let commandName else { return "\(state.name): " }
            let shown = commandName == state.name ? "" : "\(commandName): "
            let number = isCommandString ? line - 1 : line
            return "\(state.name): \(shown)line \(number): "
        }
    }

    func syntaxDiagnostic(_ error: ShellSyntaxError, name: String) -> String {
        var nameGiven = true
        if case .commandString(_, let given) = invocation { nameGiven = given != nil }
        return error.diagnostic(dialect: dialect, shellName: name, commandString: isCommandString, nameGiven: nameGiven)
    }

    /// Why the shell could not run `name` (resolved to `resolution`), and the status.
    func commandFailure(_ name: String, _ resolution: CommandResolution, exec: Bool, _ state: ShellState)
        -> ShellFailure?
    {
        let context: String? = exec ? "exec" : (state.evalDepth > 0 && dialect != .bash ? "eval" : nil)
        let prefix = diagnosticPrefix(state, command: context)
        switch resolution {
        case .found, .unknown:
            return nil
        case .notFound:
            let text: String
            switch dialect {
            case .bash where name.contains("/"):
                text = diagnosticPrefix(state, command: nil) + "\(name): No such file or directory"
            case .bash where !exec: text = prefix + "\(name): command not found"
            default: text = prefix + "\(name): not found"
            }
            return ShellFailure(messages: [text], status: 127)
        case .permissionDenied(let path), .isDirectory(let path):
            var reason = "Permission denied"
            if dialect == .bash, case .isDirectory = resolution { reason = "Is a directory" }
            guard dialect == .bash, exec else {
                return ShellFailure(messages: [prefix + "\(name): \(reason)"], status: 126)
            }
            let plain = diagnosticPrefix(state, command: nil)
            return ShellFailure(
                messages: [plain + "\(path): \(reason)", plain + "exec: \(path): cannot execute: \(reason)"],
                status: 126)
        }
    }
}
