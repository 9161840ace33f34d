extension ShellRun {
    /// `. FILE`: found by a PATH search when FILE has no `/` (bash then also tries the working directory).
    func runSource(_ builtinName: String, _ args: [String], _ command: SimpleCommand, _ state: inout ShellState)
        -> Flow
    {
        guard let file = args.first else {
            state.lastStatus = dialect == .bash ? 2 : 0
            return .normal
        }
        var candidates: [String]
        if file.contains("/") {
            candidates = [ShellPathSearch.absolute(file, workingDir: state.workingDir)]
        } else {
            guard let path = searchPath(state, prefix: []) else {
                notJudged("PATH is not known", command, &state)
                return .normal
            }
            candidates = ShellPathSearch.candidates(for: file, path: path, workingDir: state.workingDir)
            if isBashNative { candidates.append(ShellPathSearch.absolute(file, workingDir: state.workingDir)) }
        }
        for candidate in candidates {
            guard candidate.hasPrefix("/") else {
                notJudged("the working directory is not known", command, &state)
                return .normal
            }
            switch evaluator.world.readFile(candidate) {
            case .notFound: continue
            case .unknown(let reason):
                notJudged("the contents of \(candidate) are not known: \(reason)", command, &state)
                return .normal
            case .text(let text):
                record(
                    ShellStep(
                        kind: .sourced, argv: [args[0], candidate], unknownArguments: nil,
                        resolution: .found(candidate),
                        workingDir: state.workingDir, environment: [:], certainty: state.reach, line: command.line,
                        source: command.source, failure: nil, exitsOnFailure: false, inSubshell: state.subshellDepth > 0
                    ))
                return runText(text, sourced: true, command, &state)
            }
        }
        let failure = sourceNotFound(file, as: builtinName, state)
        let index = record(
            ShellStep(
                kind: .sourced, argv: [args[0], file], unknownArguments: nil, resolution: .notFound,
                workingDir: state.workingDir, environment: [:], certainty: state.reach, line: command.line,
                source: command.source, failure: failure, exitsOnFailure: !isBashNative,
                inSubshell: state.subshellDepth > 0))
        state.lastStatus = failure.status
        // `.` is a special builtin: its failure ends dash and busybox; bash goes on.
        if isBashNative { return checkErrexit(&state) }
        return end(.failure(failure), state, step: index)
    }

    private func sourceNotFound(_ file: String, as builtinName: String, _ state: ShellState) -> ShellFailure {
        let prefix = diagnosticPrefix(state, command: builtinName)
        switch dialect {
        case .dash:
            let text = file.contains("/") ? "cannot open \(file): No such file" : "\(file): not found"
            return ShellFailure(messages: [prefix + text], status: 2)
        case .bash where evaluator.bashPOSIXMode && !file.contains("/"):
            return ShellFailure(messages: [prefix + "\(file): file not found"], status: 1)
        case .bash:
            return ShellFailure(
                messages: [diagnosticPrefix(state, command: nil) + "\(file): No such file or directory"], status: 1)
        case .busyboxAsh:
            let text = file.contains("/") ? "can't open '\(file)': No such file or directory" : "\(file): not found"
            return ShellFailure(messages: [prefix + text], status: 2)
        }
    }

    /// `eval TEXT`: parsed and run in place when its text is known.
    func runEval(_ text: String, _ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        runText(text, sourced: false, command, &state)
    }

    private func runText(_ text: String, sourced: Bool, _ command: SimpleCommand, _ state: inout ShellState)
        -> Flow
    {
        guard state.sourceDepth + state.evalDepth < 16 else {
            notJudged("`.` and `eval` nest more than 16 deep", command, &state)
            return .normal
        }
        switch ShellScript.parse(text) {
        case .failure(let error):
            let message = syntaxDiagnostic(error, name: state.name)
            return end(.failure(ShellFailure(messages: [message], status: 2)), state)
        case .success(let script):
            guard let root = script.root else {
                state.lastStatus = 0
                return .normal
            }
            let savedLine = currentLine
            if sourced { state.sourceDepth += 1 } else { state.evalDepth += 1 }
            var flow = evaluate(root, &state)
            if sourced { state.sourceDepth -= 1 } else { state.evalDepth -= 1 }
            currentLine = savedLine
            if flow == .returned && sourced { flow = .normal }
            return flow
        }
    }

    /// `command -v NAME` answers from functions, builtins and the PATH; `command NAME` skips functions.
    func runCommand(
        _ args: [String], _ command: SimpleCommand, _ state: inout ShellState,
        prefix: [(String, Known)]
    ) -> Flow {
        var operands = args[...]
        var query = false
        while let first = operands.first, first.hasPrefix("-") {
            operands.removeFirst()
            if first == "--" { break }
            if first.contains("v") || first.contains("V") { query = true }
        }
        guard let name = operands.first else {
            state.lastStatus = 0
            return .normal
        }
        if query {
            state.lastStatus = lookupStatus(name, state)
            return .normal
        }
        if ShellDialect.specialBuiltins.contains(name) || dialect.builtins.contains(name) {
            return runBuiltin(name, Array(operands), nil, command, &state, prefix: prefix)
        }
        return runExternal(Array(operands), nil, command, &state, prefix: prefix, exec: false)
    }

    /// 0 when the shell would find `name` (function, builtin, program), 1 when not, nil when unknown.
    func lookupStatus(_ name: String, _ state: ShellState) -> Int? {
        if state.functions[name] != nil || dialect.builtins.contains(name)
            || ShellDialect.specialBuiltins.contains(name) || ShellParser.keywords.contains(name)
        {
            return 0
        }
        if dialect == .busyboxAsh, evaluator.standaloneApplets.contains(name) { return 0 }
        guard let path = searchPath(state, prefix: []) else { return nil }
        switch evaluator.world.resolveCommand(name, path, state.workingDir) {
        case .found: return 0
        case .notFound, .permissionDenied, .isDirectory: return 1
        case .unknown: return nil
        }
    }
}
