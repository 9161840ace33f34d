import Foundation
import ImageAuditShell
import Testing

@Suite struct ShellParserTests {
    private func simple(_ text: String) throws -> SimpleCommand {
        let script = try ShellScript.parse(text).get()
        guard case .simple(let command) = script.root else {
            Issue.record("not a simple command: \(String(describing: script.root))")
            throw ShellSyntaxError(line: 0)
        }
        return command
    }

    @Test("words keep literal, quoted, escaped and expansion parts apart")
    func wordParts() throws {
        let command = try simple(#"echo a'b c'"d $X e" \$ ${Y:-z} $1 $@"#)
        #expect(command.words.count == 6)
        #expect(
            command.words[1].parts == [
                .literal("a"), .singleQuoted("b c"),
                .doubleQuoted([
                    .literal("d "), .parameter(ParameterExpansion(name: "X", operation: .plain)),
                    .literal(" e"),
                ]),
            ])
        #expect(command.words[2].parts == [.escaped("$")])
        #expect(
            command.words[3].parts == [
                .parameter(
                    ParameterExpansion(
                        name: "Y", operation: .useDefault(colon: true), word: ShellWord([.literal("z")])))
            ])
        #expect(command.words[4].parts == [.parameter(ParameterExpansion(name: "1", operation: .plain))])
    }

    @Test(
        "every parameter operator parses",
        arguments: [
            ("${A-x}", ParameterExpansion.Operation.useDefault(colon: false)),
            ("${A:=x}", .assignDefault(colon: true)), ("${A=x}", .assignDefault(colon: false)),
            ("${A:+x}", .useAlternative(colon: true)), ("${A:?x}", .errorIfUnset(colon: true)),
            ("${A#x}", .removeSmallestPrefix), ("${A##x}", .removeLargestPrefix),
            ("${A%x}", .removeSmallestSuffix), ("${A%%x}", .removeLargestSuffix), ("${#A}", .length),
            ("${A/x/y}", .unsupported),
        ])
    func parameterOperators(text: String, operation: ParameterExpansion.Operation) throws {
        let command = try simple("echo " + text)
        guard case .parameter(let parameter) = command.words[1].parts.first else {
            Issue.record("no parameter in \(text)")
            return
        }
        #expect(parameter.name == "A")
        #expect(parameter.operation == operation)
    }

    @Test("assignments before the command word, not after it")
    func assignments() throws {
        let command = try simple("A=1 B='x y' env C=2")
        #expect(command.assignments.map(\.name) == ["A", "B"])
        #expect(command.words.count == 2)
        #expect(command.source == "A=1 B='x y' env C=2")
    }

    @Test("redirections with descriptors, and here-documents with quoted and unquoted delimiters")
    func redirections() throws {
        let text = "cat <<EOF >out 2>&1\nhello $X\nEOF\ncat <<-'END'\n\tliteral $Y\n\tEND\necho done"
        let script = try ShellScript.parse(text).get()
        guard case .sequence(let nodes) = script.root, nodes.count == 3, case .simple(let first) = nodes[0],
            case .simple(let second) = nodes[1]
        else {
            Issue.record("unexpected tree \(String(describing: script.root))")
            return
        }
        #expect(first.redirections.map(\.op) == [.hereDoc, .output, .duplicateOutput])
        #expect(first.redirections[0].hereDocument == "hello $X\n")
        #expect(first.redirections[2].descriptor == 2)
        #expect(second.redirections[0].hereDocument == "literal $Y\n")
        #expect(second.redirections[0].target.hasQuoting)
    }

    @Test("compound commands, functions, case patterns, comments and continuations")
    func compound() throws {
        let text = """
            # comment
            f() { echo "in f"; }
            if [ -n "$1" ]; then echo a; elif true; then echo b; else echo c; fi
            case "$1" in
              -*|'') set -- node "$@" ;;
              postgres) echo pg ;;
            esac
            while false; do :; done; until true; do :; done
            for x in a b \\
              c; do echo $x; done
            ( cd /tmp && ls ) | grep x || ! true &
            echo $(echo `echo nested`) $((1 + 2))
            """
        let script = try ShellScript.parse(text).get()
        guard case .sequence(let nodes) = script.root else {
            Issue.record("not a sequence")
            return
        }
        #expect(nodes.count == 8)
        if case .function(let name, _, _) = nodes[0] { #expect(name == "f") } else { Issue.record("no function") }
        if case .ifClause(let branches, let otherwise, _) = nodes[1] {
            #expect(branches.count == 2)
            #expect(otherwise != nil)
        } else {
            Issue.record("no if")
        }
        if case .caseClause(_, let items, _) = nodes[2] {
            #expect(items.map(\.patterns.count) == [2, 1])
        } else {
            Issue.record("no case")
        }
        if case .forLoop(let name, let words, _, _) = nodes[5] {
            #expect(name == "x")
            #expect(words?.count == 3)
        } else {
            Issue.record("no for")
        }
        if case .background(.or(.pipeline(let elements, false), .pipeline(_, true))) = nodes[6] {
            #expect(elements.count == 2)
        } else {
            Issue.record("no background or-list: \(nodes[6])")
        }
    }

    @Test("reserved words are only reserved where a command starts")
    func reservedWords() throws {
        let command = try simple("echo if then fi }")
        #expect(command.words.count == 5)
    }

    // Wording from `dash -c TEXT` (dash 0.5.12), status 2; `liveSyntaxErrors` checks it again.
    static let syntaxErrorCases: [(String, String)] = [
        ("if true; then echo", #"Syntax error: end of file unexpected (expecting "fi")"#),
        ("echo )", #"Syntax error: ")" unexpected"#),
        ("if true; echo; fi", #"Syntax error: "fi" unexpected (expecting "then")"#),
        ("while true; echo; done", #"Syntax error: "done" unexpected (expecting "do")"#),
        ("{ echo", #"Syntax error: end of file unexpected (expecting "}")"#),
        ("echo 'open", "Syntax error: Unterminated quoted string"),
        ("&& echo", #"Syntax error: "&&" unexpected"#),
        ("echo a; then", #"Syntax error: "then" unexpected"#),
        ("if then echo; fi", #"Syntax error: "then" unexpected"#),
        ("if", #"Syntax error: end of file unexpected (expecting "then")"#),
        ("{ }", #"Syntax error: "}" unexpected"#),
        ("while", #"Syntax error: end of file unexpected (expecting "do")"#),
        ("for", "Syntax error: Bad for loop variable"),
        ("for x", #"Syntax error: end of file unexpected (expecting "do")"#),
        ("for x in", "Syntax error: end of file unexpected"),
        ("case", "Syntax error: end of file unexpected (expecting word)"),
        ("case x", #"Syntax error: end of file unexpected (expecting "in")"#),
        ("case x in", #"Syntax error: end of file unexpected (expecting ")")"#),
        ("case x in a)", #"Syntax error: end of file unexpected (expecting ";;")"#),
        ("(", #"Syntax error: end of file unexpected (expecting ")")"#),
        ("( )", #"Syntax error: ")" unexpected"#),
        ("f()", "Syntax error: end of file unexpected"),
        ("echo |", "Syntax error: end of file unexpected"),
        ("echo &&", "Syntax error: end of file unexpected"),
        ("if true; then fi", #"Syntax error: "fi" unexpected"#),
        ("echo 2>", "Syntax error: end of file unexpected"),
    ]

    @Test("syntax errors are values with dash's wording", arguments: syntaxErrorCases)
    func syntaxErrors(text: String, message: String) {
        switch ShellScript.parse(text) {
        case .success: Issue.record("parsed: \(text)")
        case .failure(let error): #expect(error.message == message)
        }
    }

    @Test(
        "the same syntax errors from the real dash and busybox",
        .enabled(
            if: FileManager.default.isExecutableFile(
                atPath: "/bin/dash"), "needs /bin/dash"))
    func liveSyntaxErrors() throws {
        let scratch = try ScratchDirectory()
        let dash = LiveShell(dialect: .dash, path: "/bin/dash")
        for (text, message) in Self.syntaxErrorCases {
            let real = try dash.run(["-c", text], in: scratch.path, environment: [:])
            #expect(real.stderrLines == ["/bin/dash: 1: " + message], "\(text)")
            #expect(real.status == 2)
        }
        // busybox ash words them its own way; the model renders them from the same error.
        guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
            FileHandle.standardError.write(Data("skipped: /bin/busybox is not on this machine\n".utf8))
            return
        }
        let busybox = try #require(LiveShell.available(in: scratch.path).first { $0.dialect == .busyboxAsh })
        for (text, _) in Self.syntaxErrorCases {
            guard case .failure(let error) = ShellScript.parse(text) else { continue }
            let real = try busybox.run(["-c", text], in: scratch.path, environment: [:])
            let model = error.diagnostic(dialect: .busyboxAsh, shellName: busybox.path, commandString: true)
            #expect(real.stderrLines == [model], "\(text)")
            #expect(real.status == 2)
        }
    }
}
