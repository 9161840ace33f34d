extension ShellRun {
    /// Declaration utilities: their `NAME=value` operands are expanded like assignments (no splitting).
    static let declarationUtilities: Set<String> = ["export", "readonly", "local", "declare", "typeset"]

    func runSimple(_ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        budget -= 1
        if state.evalDepth == 0 { currentLine = command.line }
        // Fields of the words.
        var argv: [String] = []
        var unknownArguments: String?
        for (index, word) in command.words.enumerated() {
            if index > 0, let first = argv.first, Self.declarationUtilities.contains(first),
                let assignment = ShellParser.assignment(word)
            {
                switch expandWord(assignment.value, &state) {
                case .fields(let values): argv.append(assignment.name + "=" + (values.first ?? ""))
                case .unknown(let reason):
                    // `export X="$(…)"`: X is set, to a value not known.
                    state.assign(assignment.name, .unknown(reason), export: first == "export")
                case .failed(let failure): return end(.failure(failure), state)
                }
            } else {
                switch expand(word, &state) {
                case .fields(let fields):
                    if argv.isEmpty, fields.isEmpty, let variable = Self.namedVariable(in: word) {
                        // `$CMD args` with CMD unset or empty here: it may well be set when the container runs.
                        notJudged(
                            "the command word comes from `$\(variable)`, which is unset or empty here",
                            command, &state)
                        return .normal
                    }
                    argv += fields
                case .unknown(let reason):
                    if argv.isEmpty {
                        notJudged("the command word is not known: \(reason)", command, &state)
                        return .normal
                    }
                    unknownArguments = reason
                case .failed(let failure): return end(.failure(failure), state)
                }
            }
            if unknownArguments != nil { break }
        }
        // Prefix assignments.
        var assigned: [(String, Known)] = []
        for assignment in command.assignments {
            switch expandWord(assignment.value, &state) {
            case .fields(let values): assigned.append((assignment.name, .value(values.first ?? "")))
            case .unknown(let reason): assigned.append((assignment.name, .unknown(reason)))
            case .failed(let failure): return end(.failure(failure), state)
            }
        }
        guard let name = argv.first else {
            for (variable, value) in assigned { state.assign(variable, value) }
            let hasSubstitution = command.assignments.contains { Self.hasCommandSubstitution($0.value) }
            state.lastStatus = hasSubstitution ? nil : 0
            state.lastStep = nil
            return .normal
        }
        let isSpecial = ShellDialect.specialBuiltins.contains(name)
        if isSpecial {
            // Assignments before a special builtin stay (XCU 2.14); bash outside POSIX mode does not keep them.
            if !isBashNative { for (variable, value) in assigned { state.assign(variable, value) } }
            return runBuiltin(name, argv, unknownArguments, command, &state, prefix: assigned)
        }
        if let body = state.functions[name] {
            return callFunction(body, argv, unknownArguments, command, &state)
        }
        if dialect.builtins.contains(name) {
            return runBuiltin(name, argv, unknownArguments, command, &state, prefix: assigned)
        }
        return runExternal(argv, unknownArguments, command, &state, prefix: assigned, exec: false)
    }

    /// The first named variable (not `$@`, `$1`…) expanded in `word`, if any.
    static func namedVariable(in word: ShellWord) -> String? {
        for part in word.parts {
            switch part {
            case .parameter(let p) where ShellParser.isName(p.name): return p.name
            case .doubleQuoted(let inner): if let name = namedVariable(in: ShellWord(inner)) { return name }
            default: continue
            }
        }
        return nil
    }

    static func hasCommandSubstitution(_ word: ShellWord) -> Bool {
        word.parts.contains { part in
            switch part {
            case .commandSubstitution: true
            case .doubleQuoted(let inner): hasCommandSubstitution(ShellWord(inner))
            default: false
            }
        }
    }

    /// `PATH` as the shell searches it; nil when not known.
    func searchPath(_ state: ShellState, prefix: [(String, Known)]) -> String? {
        let value = prefix.last(where: { $0.0 == "PATH" })?.1 ?? state.value(of: "PATH")
        switch value {
        case .value(let path): return path
        case .unknown: return nil
        case nil: return dialect.defaultPath
        }
    }

    /// Runs an external program (or exec's it); records the step and what the shell says when it fails.
    func runExternal(
        _ argv: [String], _ unknownArguments: String?, _ command: SimpleCommand, _ state: inout ShellState,
        prefix: [(String, Known)], exec: Bool
    ) -> Flow {
        let name = argv[0]
        var environment = state.exportedEnvironment
        for (variable, value) in prefix {
            if case .value(let text) = value { environment[variable] = text } else { environment[variable] = nil }
        }
        let resolution: CommandResolution
        var kind: ShellStep.Kind = exec ? .exec : .command
        if dialect == .busyboxAsh, !name.contains("/"), evaluator.standaloneApplets.contains(name) {
            resolution = .found("/proc/self/exe")
            kind = exec ? .exec : .applet
        } else if let path = searchPath(state, prefix: prefix) {
            resolution = evaluator.world.resolveCommand(name, path, state.workingDir)
        } else {
            resolution = .unknown("PATH is not known")
        }
        var certainty = state.reach
        if case .unknown(let reason) = resolution { certainty = .notJudged(reason) }
        let failure = commandFailure(name, resolution, exec: exec, state)
        let index = record(
            ShellStep(
                kind: kind, argv: argv, unknownArguments: unknownArguments, resolution: resolution,
                workingDir: state.workingDir, environment: environment, certainty: certainty, line: command.line,
                source: command.source, failure: failure,
                exitsOnFailure: exec || (state.errexit && conditionDepth == 0), inSubshell: state.subshellDepth > 0))
        state.lastStep = index
        if let failure {
            state.lastStatus = failure.status
            // A failed exec ends a non-interactive shell (all three shells).
            if exec { return end(.failure(failure), state, step: index) }
            if state.errexit && conditionDepth == 0 { return end(.failure(failure), state, step: index) }
            return .normal
        }
        state.lastStatus = nil
        if exec {
            if case .notJudged(let reason) = certainty { return end(.notJudged(reason), state, step: index) }
            return end(.exec, state, step: index)
        }
        if case .notJudged = certainty { state = state.weakened("after `\(command.source)`, which is not judged") }
        return .normal
    }

    func callFunction(
        _ body: ShellNode, _ argv: [String], _ unknownArguments: String?, _ command: SimpleCommand,
        _ state: inout ShellState
    ) -> Flow {
        guard state.functionDepth < 32 else {
            notJudged("functions nest more than 32 deep", command, &state)
            return .normal
        }
        let saved = (state.positional, state.positionalReason)
        if let unknownArguments {
            state.positional = nil
            state.positionalReason = unknownArguments
        } else {
            state.positional = Array(argv.dropFirst())
        }
        state.functionDepth += 1
        let flow = evaluate(body, &state)
        state.functionDepth -= 1
        (state.positional, state.positionalReason) = saved
        if flow == .returned { return checkErrexit(&state) }
        return flow == .normal ? checkErrexit(&state) : flow
    }
}
