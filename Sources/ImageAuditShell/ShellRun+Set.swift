extension ShellRun {
    /// Option letters and `-o` names each shell takes (from `set -X` / `set -o NAME` of each shell here).
    private var optionLetters: Set<Character> {
        switch dialect {
        case .dash: Set("abefimnpsuvxCEV")
        case .bash: Set("abefhkmnprtuvxBCEHPT")
        case .busyboxAsh: Set("abefmnuvxCE")
        }
    }

    private var optionNames: Set<String> {
        let common: Set<String> = [
            "errexit", "nounset", "xtrace", "noglob", "allexport", "noclobber", "monitor",
            "notify", "verbose", "vi", "noexec", "ignoreeof",
        ]
        switch dialect {
        // dash 0.5.12 has no pipefail: `set -o pipefail` stops a Debian /bin/sh script.
        case .dash: return common.union(["emacs", "nolog", "debug", "interactive", "stdin", "privileged"])
        case .bash:
            return common.union([
                "pipefail", "emacs", "posix", "errtrace", "functrace", "nolog", "hashall",
                "histexpand", "history", "interactive-comments", "keyword", "onecmd", "physical", "privileged",
                "braceexpand",
            ])
        case .busyboxAsh: return common.union(["pipefail", "errtrace"])
        }
    }

    /// The shell's own option arguments (`sh -eu -c …`, `#!/bin/sh -e`), read as `set` reads them.
    func applyOptions(_ options: [String], _ state: inout ShellState) {
        let positional = state.positional
        _ = setOptions(options.filter { $0 != "--" }, command: nil, &state)
        state.positional = positional
        state.lastStatus = 0
    }

    func runSet(_ args: [String], _ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        setOptions(args, command: command, &state)
    }

    /// `set [-+]letters [-o name] [--] [args]`; an option the shell does not have is its error.
    private func setOptions(_ args: [String], command: SimpleCommand?, _ state: inout ShellState) -> Flow {
        var index = 0
        state.lastStatus = 0
        while index < args.count {
            let arg = args[index]
            if arg == "--" {
                state.positional = Array(args[(index + 1)...])
                return .normal
            }
            guard let sign = arg.first, sign == "-" || sign == "+", arg.count > 1 else {
                state.positional = Array(args[index...])
                return .normal
            }
            let on = sign == "-"
            for letter in arg.dropFirst() {
                if letter == "o" {
                    index += 1
                    guard index < args.count else { break }
                    let name = args[index]
                    guard optionNames.contains(name) else {
                        if let command { return badOption(name: name, command, &state) }
                        continue
                    }
                    if name == "errexit" { state.errexit = on }
                    if name == "nounset" { state.nounset = on }
                } else if optionLetters.contains(letter) {
                    if letter == "e" { state.errexit = on }
                    if letter == "u" { state.nounset = on }
                } else if let command {
                    return badOption(letter: letter, sign: sign, command, &state)
                }
            }
            index += 1
        }
        return .normal
    }

    private func badOption(letter: Character, sign: Character, _ command: SimpleCommand, _ state: inout ShellState)
        -> Flow
    {
        let prefix = diagnosticPrefix(state, command: "set")
        switch dialect {
        case .dash, .busyboxAsh:
            // A special builtin's error: dash and busybox exit 2.
            let text = dialect == .dash ? "Illegal option \(sign)\(letter)" : "illegal option \(sign)\(letter)"
            return end(.failure(ShellFailure(messages: [prefix + text], status: 2)), state)
        case .bash:
            let usage = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]"
            let failure = ShellFailure(messages: [prefix + "\(sign)\(letter): invalid option", usage], status: 2)
            return bashSetError(failure, command, &state)
        }
    }

    private func badOption(name: String, _ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        let prefix = diagnosticPrefix(state, command: "set")
        switch dialect {
        case .dash:
            return end(.failure(ShellFailure(messages: [prefix + "Illegal option -o \(name)"], status: 2)), state)
        case .busyboxAsh, .bash:
            // Both print it and go on (checked with `set -o bogus; echo after`).
            let text = dialect == .bash ? "\(name): invalid option name" : "illegal option -o \(name)"
            return bashSetError(ShellFailure(messages: [prefix + text], status: 2), command, &state)
        }
    }

    /// bash goes on after a bad `set` option, except in POSIX mode where it exits 2 (busybox goes on too).
    private func bashSetError(_ failure: ShellFailure, _ command: SimpleCommand, _ state: inout ShellState) -> Flow {
        if dialect == .bash && evaluator.bashPOSIXMode { return end(.failure(failure), state) }
        recordBuiltinFailure(["set"], failure, command, state)
        state.lastStatus = nil
        return .normal
    }
}
