/// `$((…))` when it is simple: integers, variables, `+ - * / %`, comparisons, `&& ||`, parentheses.
/// Anything else (assignments, `++`, ternaries) is not evaluated.
enum ShellArithmetic {
    static func evaluate(_ text: String, lookup: (String) -> String?) -> Int? {
        withoutActuallyEscaping(lookup) { lookup in
            var parser = Parser(tokens: tokenize(text), lookup: lookup)
            guard let value = parser.parseOr(), parser.index == parser.tokens.count else { return nil }
            return value
        }
    }

    private static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        let chars = Array(text)
        var index = 0
        while index < chars.count {
            let c = chars[index]
            if c == " " || c == "\t" || c == "\n" {
                index += 1
            } else if c.isLetter || c.isNumber || c == "_" || c == "$" {
                var token = ""
                while index < chars.count,
                    chars[index].isLetter || chars[index].isNumber || chars[index] == "_"
                        || chars[index] == "$"
                {
                    token.append(chars[index])
                    index += 1
                }
                tokens.append(token)
            } else {
                let two = index + 1 < chars.count ? String([c, chars[index + 1]]) : ""
                if ["&&", "||", "<=", ">=", "==", "!="].contains(two) {
                    tokens.append(two)
                    index += 2
                } else {
                    tokens.append(String(c))
                    index += 1
                }
            }
        }
        return tokens
    }

    private struct Parser {
        let tokens: [String]
        let lookup: (String) -> String?
        var index = 0

        mutating func take(_ options: [String]) -> String? {
            guard index < tokens.count, options.contains(tokens[index]) else { return nil }
            index += 1
            return tokens[index - 1]
        }

        mutating func binary(_ ops: [String], _ next: (inout Parser) -> Int?, _ apply: (String, Int, Int) -> Int?)
            -> Int?
        {
            guard var left = next(&self) else { return nil }
            while let op = take(ops) {
                guard let right = next(&self), let value = apply(op, left, right) else { return nil }
                left = value
            }
            return left
        }

        mutating func parseOr() -> Int? {
            binary(["||"], { $0.parseAnd() }) { _, a, b in (a != 0 || b != 0) ? 1 : 0 }
        }
        mutating func parseAnd() -> Int? {
            binary(["&&"], { $0.parseCompare() }) { _, a, b in (a != 0 && b != 0) ? 1 : 0 }
        }
        mutating func parseCompare() -> Int? {
            binary(["<", ">", "<=", ">=", "==", "!="], { $0.parseSum() }) { op, a, b in
                let result =
                    switch op {
                    case "<": a < b
                    case ">": a > b
                    case "<=": a <= b
                    case ">=": a >= b
                    case "==": a == b
                    default: a != b
                    }
                return result ? 1 : 0
            }
        }
        mutating func parseSum() -> Int? {
            binary(["+", "-"], { $0.parseProduct() }) { op, a, b in
                let (value, overflow) = op == "+" ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                return overflow ? nil : value
            }
        }
        mutating func parseProduct() -> Int? {
            binary(["*", "/", "%"], { $0.parseUnary() }) { op, a, b in
                if op == "*" {
                    let (value, overflow) = a.multipliedReportingOverflow(by: b)
                    return overflow ? nil : value
                }
                guard b != 0, !(a == .min && b == -1) else { return nil }
                return op == "/" ? a / b : a % b
            }
        }
        mutating func parseUnary() -> Int? {
            if take(["-"]) != nil { return parseUnary().flatMap { $0 == .min ? nil : -$0 } }
            if take(["+"]) != nil { return parseUnary() }
            if take(["!"]) != nil { return parseUnary().map { $0 == 0 ? 1 : 0 } }
            if take(["("]) != nil {
                guard let value = parseOr(), take([")"]) != nil else { return nil }
                return value
            }
            guard index < tokens.count else { return nil }
            var token = tokens[index]
            index += 1
            if let number = Int(token) { return number }
            if token.hasPrefix("$") { token.removeFirst() }
            guard ShellParser.isName(token), let value = lookup(token) else { return nil }
            return value.isEmpty ? 0 : Int(value.trimmingPrefix(" "))
        }
    }
}
