extension ShellRun {
    /// `test EXPR` / `[ EXPR ]` (XCU test): strings and integers always, files through the world.
    func runTest(_ name: String, _ args: [String], _ state: inout ShellState) -> Flow {
        var operands = args
        if name == "[" {
            guard operands.last == "]" else {
                state.lastStatus = 2
                return .normal
            }
            operands.removeLast()
        }
        state.lastStatus = evaluateTest(operands[...], state)
        return .normal
    }

    private static let unaryFileTests: [String: FileTest] = [
        "-e": .exists, "-f": .regular, "-d": .directory, "-x": .executable, "-r": .readable, "-w": .writable,
        "-s": .nonEmpty, "-L": .symlink, "-h": .symlinkH, "-c": .characterDevice, "-b": .blockDevice,
        "-p": .fifo, "-S": .socket,
    ]

    private static let binaryOperators: Set<String> = [
        "=", "!=", "==", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "<", ">", "-nt", "-ot", "-ef",
    ]

    /// 0 true, 1 false, 2 error, nil unknown.
    func evaluateTest(_ args: ArraySlice<String>, _ state: ShellState) -> Int? {
        switch args.count {
        case 0: return 1
        case 1: return args.first!.isEmpty ? 1 : 0
        case 2:
            let op = args.first!
            let operand = args.last!
            if op == "!" { return negate(evaluateTest(args.dropFirst(), state)) }
            return unary(op, operand, state)
        case 3:
            let items = Array(args)
            if Self.binaryOperators.contains(items[1]) { return binary(items[0], items[1], items[2]) }
            if items[0] == "!" { return negate(evaluateTest(args.dropFirst(), state)) }
            if items[0] == "(" && items[2] == ")" { return evaluateTest(args.dropFirst().dropLast(), state) }
            if items[1] == "-a" || items[1] == "-o" {
                return combine(items[1], [items[0]][...], [items[2]][...], state)
            }
            return 2
        case 4:
            if args.first == "!" { return negate(evaluateTest(args.dropFirst(), state)) }
            fallthrough
        default:
            // Lowest precedence first: -o, then -a.
            for op in ["-o", "-a"] {
                if let index = args.dropFirst().dropLast().lastIndex(of: op) {
                    return combine(op, args[..<index], args[(index + 1)...], state)
                }
            }
            return nil
        }
    }

    private func negate(_ status: Int?) -> Int? {
        guard let status else { return nil }
        return status == 2 ? 2 : (status == 0 ? 1 : 0)
    }

    private func combine(_ op: String, _ left: ArraySlice<String>, _ right: ArraySlice<String>, _ state: ShellState)
        -> Int?
    {
        let a = evaluateTest(left, state)
        let b = evaluateTest(right, state)
        if a == 2 || b == 2 { return 2 }
        if op == "-a" {
            if a == 1 || b == 1 { return 1 }
            return a == 0 && b == 0 ? 0 : nil
        }
        if a == 0 || b == 0 { return 0 }
        return a == 1 && b == 1 ? 1 : nil
    }

    private func unary(_ op: String, _ operand: String, _ state: ShellState) -> Int? {
        switch op {
        case "-n": return operand.isEmpty ? 1 : 0
        case "-z": return operand.isEmpty ? 0 : 1
        case "-t": return nil
        default:
            guard let test = Self.unaryFileTests[op] else { return 2 }
            guard operand.hasPrefix("/") || state.workingDir != nil else { return nil }
            if operand.isEmpty { return 1 }
            let path = ShellPathSearch.absolute(operand, workingDir: state.workingDir)
            return evaluator.world.testFile(test, path).map { $0 ? 0 : 1 }
        }
    }

    private func binary(_ left: String, _ op: String, _ right: String) -> Int? {
        switch op {
        case "=": return left == right ? 0 : 1
        case "==":
            // dash's test has no `==` ("[: a: unexpected operator", status 2).
            return dialect == .dash ? 2 : (left == right ? 0 : 1)
        case "!=": return left != right ? 0 : 1
        case "<": return left < right ? 0 : 1
        case ">": return left > right ? 0 : 1
        case "-nt", "-ot", "-ef": return nil
        default:
            guard let a = Int(left.trimmingPrefix(" ")), let b = Int(right.trimmingPrefix(" ")) else { return 2 }
            let result =
                switch op {
                case "-eq": a == b
                case "-ne": a != b
                case "-lt": a < b
                case "-le": a <= b
                case "-gt": a > b
                default: a >= b
                }
            return result ? 0 : 1
        }
    }
}
