extension ShellRun {
    func runBuiltin(
        _ name: String, _ argv: [String], _ unknownArguments: String?, _ command: SimpleCommand,
        _ state: inout ShellState, prefix: [(String, Known)]
    ) -> Flow {
        let args = Array(argv.dropFirst())
        state.lastStep = nil
        if unknownArguments != nil, !["exec", "echo", "printf", ":", "true", "false"].contains(name) {
            // `set -- $(…)`, `eval "$x"`, `cd "$(…)"`: the builtin's effect is not known.
            if name == "set" || name == "shift" || name == "eval" || name == "." || name == "source" {
                state.positional = nil
                state.positionalReason = "`\(command.source)` is not judged"
            }
            if name == "cd" { state.workingDir = nil }
            if name == "eval" || name == "." || name == "source" {
                notJudged("`\(name)` of text that is not known: \(unknownArguments ?? "")", command, &state)
                return .normal
            }
            if Self.declarationUtilities.contains(name) || name == "unset" {
                // `export $(cat .env)`: any variable, PATH included, may change.
                notJudged("`\(name)` of names that are not known: \(unknownArguments ?? "")", command, &state)
                return .normal
            }
            state.lastStatus = nil
            return .normal
        }
        switch name {
        case ":", "true", "echo", "printf", "pwd", "alias", "unalias", "umask", "ulimit", "trap", "times", "hash",
            "jobs", "wait", "shopt", "history", "help", "enable", "bind", "builtin", "caller", "dirs", "pushd", "popd",
            "disown", "suspend", "fc", "fg", "bg", "kill", "logout", "compgen", "complete", "compopt":
            state.lastStatus = (name == "wait" || name == "kill") ? nil : 0
        case "false":
            state.lastStatus = 1
        case "exec":
            return runExec(args, unknownArguments, command, &state, prefix: prefix)
        case "exit":
            let status = args.first.map { Int($0).map { $0 & 255 } ?? 2 } ?? state.lastStatus
            state.lastStatus = status
            return end(.exit(status: status), state)
        case "return":
            if let first = args.first { state.lastStatus = Int(first).map { $0 & 255 } }
            return state.functionDepth > 0 || state.sourceDepth > 0 ? .returned : .normal
        case "break", "continue":
            let count = args.first.flatMap { Int($0) } ?? 1
            return name == "break" ? .breakLoop(max(count, 1)) : .continueLoop(max(count, 1))
        case "set":
            return runSet(args, command, &state)
        case "shift":
            let count = args.first.flatMap { Int($0) } ?? 1
            guard var positional = state.positional else { return .normal }
            guard count <= positional.count else {
                state.lastStatus = dialect == .dash ? 2 : 1
                if dialect == .bash && evaluator.bashPOSIXMode {
                    let given = args.first.map { "\($0): " } ?? ""
                    let message = diagnosticPrefix(state, command: "shift") + given + "shift count out of range"
                    recordBuiltinFailure(argv, ShellFailure(messages: [message], status: 1), command, state)
                }
                guard dialect == .dash else { return checkErrexit(&state) }
                let message = diagnosticPrefix(state, command: "shift") + "can't shift that many"
                return end(.failure(ShellFailure(messages: [message], status: 2)), state)
            }
            positional.removeFirst(count)
            state.positional = positional
            state.lastStatus = 0
        case "export", "readonly", "local", "declare", "typeset":
            for arg in args where !arg.hasPrefix("-") {
                if let equals = arg.firstIndex(of: "=") {
                    state.assign(
                        String(arg[..<equals]), .value(String(arg[arg.index(after: equals)...])),
                        export: name == "export")
                } else if name == "export" {
                    let value = state.value(of: arg)
                    state.variables[arg] = ShellState.Variable(value: value ?? .value(""), exported: value != nil)
                } else if state.value(of: arg) == nil, name == "local" {
                    state.assign(arg, .value(""))
                }
            }
            state.lastStatus = 0
        case "unset":
            let functions = args.first == "-f"
            for arg in args where !arg.hasPrefix("-") {
                if functions { state.functions[arg] = nil } else { state.variables[arg] = nil }
            }
            state.lastStatus = 0
        case "read", "getopts", "mapfile", "readarray":
            for arg in args where ShellParser.isName(arg) { state.assign(arg, .unknown("set by `\(name)`")) }
            state.lastStatus = nil
        case "let":
            state.lastStatus = nil
        case "cd", "chdir":
            return runCd(args, command, &state)
        case ".", "source":
            return runSource(name, args, command, &state)
        case "eval":
            return runEval(args.joined(separator: " "), command, &state)
        case "command":
            return runCommand(args, command, &state, prefix: prefix)
        case "type":
            state.lastStatus = args.allSatisfy { lookupStatus($0, state) == 0 } ? 0 : nil
        case "test", "[":
            return runTest(name, args, &state)
        default:
            state.lastStatus = nil
        }
        return checkErrexit(&state)
    }

    private func runExec(
        _ args: [String], _ unknownArguments: String?, _ command: SimpleCommand, _ state: inout ShellState,
        prefix: [(String, Known)]
    ) -> Flow {
        var operands = args[...]
        // bash: `exec [-cl] [-a name]`.
        while dialect == .bash, let first = operands.first, first.hasPrefix("-"), first != "-" {
            operands.removeFirst()
            if first == "--" { break }
            if first == "-a" { operands = operands.dropFirst() }
        }
        if operands.first == "--" { operands.removeFirst() }
        guard !operands.isEmpty else {
            if let unknownArguments {
                let reason = "the program of `exec` is not known: \(unknownArguments)"
                notJudged(reason, command, &state)
                return end(.notJudged(reason), state, step: steps.count - 1)
            }
            // Only redirections: the shell goes on.
            for (variable, value) in prefix { state.assign(variable, value, export: true) }
            state.lastStatus = 0
            return .normal
        }
        return runExternal(Array(operands), unknownArguments, command, &state, prefix: prefix, exec: true)
    }

    private func runCd(_ args: [String], _ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        let operands = args.filter { $0 != "-L" && $0 != "-P" }
        var target: String
        if let first = operands.first {
            target = first
        } else if case .value(let home) = state.value(of: "HOME") {
            target = home
        } else {
            state.workingDir = nil
            state.lastStatus = nil
            return .normal
        }
        if target == "-" {
            guard case .value(let old) = state.value(of: "OLDPWD") else {
                state.workingDir = nil
                state.lastStatus = nil
                return .normal
            }
            target = old
        }
        guard target.hasPrefix("/") || state.workingDir != nil else {
            state.lastStatus = nil
            return .normal
        }
        let directory = ShellPathSearch.absolute(target, workingDir: state.workingDir)
        switch evaluator.world.testFile(.directory, directory) {
        case .some(true):
            if let old = state.workingDir { state.assign("OLDPWD", .value(old)) }
            state.workingDir = directory
            state.assign("PWD", .value(directory))
            state.lastStatus = 0
        case .some(false):
            let message: String
            switch dialect {
            case .dash: message = diagnosticPrefix(state, command: "cd") + "can't cd to \(target)"
            case .bash: message = diagnosticPrefix(state, command: "cd") + "\(target): No such file or directory"
            case .busyboxAsh:
                message = diagnosticPrefix(state, command: "cd") + "can't cd to \(target): No such file or directory"
            }
            let failure = ShellFailure(messages: [message], status: dialect == .bash ? 1 : 2)
            recordBuiltinFailure(["cd", target], failure, command, state)
            state.lastStatus = failure.status
            if state.errexit && conditionDepth == 0 { return end(.failure(failure), state) }
        case .none:
            // Later relative names cannot be resolved.
            state.workingDir = nil
            state.lastStatus = nil
        }
        return .normal
    }

    /// A builtin's own message, as a step: nothing runs, but the shell prints it.
    func recordBuiltinFailure(
        _ argv: [String], _ failure: ShellFailure, _ command: SimpleCommand, _ state: ShellState
    ) {
        record(
            ShellStep(
                kind: .builtin, argv: argv, unknownArguments: nil, resolution: nil, workingDir: state.workingDir,
                environment: [:], certainty: state.reach, line: command.line, source: command.source, failure: failure,
                exitsOnFailure: state.errexit && conditionDepth == 0, inSubshell: state.subshellDepth > 0))
    }
}
