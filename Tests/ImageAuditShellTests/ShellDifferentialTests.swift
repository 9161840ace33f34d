import Foundation
import ImageAuditShell
import Testing

/// Small generated scripts run by the real shells, with stub commands that log their argv, compared with
/// the evaluator's definite steps.
@Suite struct ShellDifferentialTests {
    /// Fragments whose control flow never depends on a stub's exit status, so every step is definite.
    static let fragments = [
        #"a one "two three""#,
        #"b "$1" "$#""#,
        #"set -- c "$@""#,
        "shift",
        #"X="x  y"; a $X "$X""#,
        "if [ \"$1\" = p ]; then a then; else b else; fi",
        "case \"$1\" in\n  p*) a case-p ;;\n  -*) b dash ;;\n  *) c other ;;\nesac",
        "for i in 1 2; do c \"$i\"; done",
        #"f() { a "in f" "$@"; }; f z "$1""#,
        #"[ -n "$2" ] && b and"#,
        #"[ -z "$2" ] || c or"#,
        "true || a never",
        #"cd "$DIR" && c cwd"#,
        #"a "${V:-dflt}" "${1#-}" "${1%%q*}" "${#1}""#,
        #": "${W:=assigned}"; b "$W""#,
        #"a $((1 + 2)) $(( ${#1} * 2 ))"#,
        #"if [ "${1#-}" != "$1" ]; then set -- server "$@"; fi"#,
        "(c sub; exit 3); a after $?",
        "{ a group; b 'group 2'; }",
        "while [ \"$#\" -gt 1 ]; do shift; done; b last \"$@\"",
        #"eval "a evaluated \"\$1\"""#,
        "Y=$(command -v a); b \"${Y##*/}\"",
        "set -e; true && false; a unreachable",
        "! a negated",
        "if false; then a no; elif [ \"$#\" -ge 2 ]; then b elif; fi",
        #"unset X; a "${X-unset}" "${X:+alt}""#,
        "A=1 b prefix",
        "command c via-command",
        "exec 3>/dev/null; a redirected",
        #"for w in $X; do c "$w"; done"#,
        "shift 5",
        #"g() { return 3; a no; }; g; b "$?""#,
        #"for i in 1 2 3; do [ "$i" = 2 ] && break; c "$i"; done"#,
        #"for i in 1 2 3; do [ "$i" = 2 ] && continue; c "$i"; done"#,
        #"set -u; a "${NOPE-}" "${NOPE:-x}"; set +u"#,
        #"IFS=:; Z=a:b::c; a $Z; unset IFS"#,
        #"a "$*" $* "${#}""#,
        #". ./lib.sh; lf "$L""#,
        "command -v nothere || a missing-ok",
        "[ -f ./lib.sh ] && b has-lib; [ -d sub ] && c has-sub; [ -x bin/a ] && a exec-ok",
        "c heredoc <<EOF\nx $1\nEOF",
        "(exec a in-sub); b after-sub",
        #"eval 'set -- e1 "e 2"'; b "$@""#,
        #"a "a'b" 'c"d' \" \\ "\$x""#,
        "a ~ ~/x",
        "a $((3 > 2)) $((7 % 3)) $((-4 / 2))",
        #"n=0; until [ $n -ge 2 ]; do c "u$n"; n=$((n+1)); done"#,
        #"if [ "$1" = 'p' -a -n "$2" ] || [ "$1" = '-x' ]; then a compound-test; fi"#,
    ]

    static let argumentSets: [[String]] = [[], ["p", "q"], ["-x", "plain word"]]

    /// A deterministic generator (the same scripts on every run).
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func script(seed: UInt64) -> String {
        var generator = Generator(state: seed)
        var lines: [String] = []
        for _ in 0..<(3 + generator.next(4)) { lines.append(fragments[generator.next(fragments.count)]) }
        if generator.next(2) == 0 { lines.append(#"exec server "$@""#) }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(
        "generated scripts: the real shell's commands are the evaluator's definite steps",
        .enabled(if: LiveShell.anyPresent, "needs /bin/dash, /bin/bash or /bin/busybox"), arguments: 0..<32)
    func differential(seed: Int) throws {
        let scratch = try ScratchDirectory()
        let bin = scratch.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/sub", withIntermediateDirectories: true)
        // Each stub logs its working directory and argv, fields separated by \037.
        let stub =
            "#!/bin/sh\n{ printf '%s\\037' \"$(pwd)\" \"${0##*/}\"; "
            + "for x in \"$@\"; do printf '%s\\037' \"$x\"; done; echo; } >> \"$LOG\"\n"
        for name in ["a", "b", "c", "server"] { try scratch.write("bin/" + name, stub, executable: true) }
        try scratch.write("lib.sh", "L=lib\nlf() { c lib \"$@\"; }\n")
        let text = Self.script(seed: UInt64(seed) &* 7919 &+ 17)
        try scratch.write("s.sh", text)
        let log = scratch.path + "/log"
        let environment = ["PATH": bin + ":/usr/bin:/bin", "LOG": log, "DIR": scratch.path + "/sub", "HOME": "/home/u"]
        for shell in LiveShell.available(in: scratch.path) {
            for (arguments, commandString) in Self.argumentSets.flatMap({ [($0, false), ($0, true)] }) {
                try? FileManager.default.removeItem(atPath: log)
                // As a script file, and as `sh -c TEXT nm ARGS…` (a shell-form CMD with arguments).
                let argv = commandString ? ["-c", text, "nm"] + arguments : ["s.sh"] + arguments
                let invocation: ShellEvaluator.Invocation =
                    commandString ? .commandString(shellArgv0: shell.path, name: "nm") : .scriptFile(path: "s.sh")
                let real = try shell.run(argv, in: scratch.path, environment: environment) {
                    try? FileManager.default.removeItem(atPath: log)
                }
                let logged = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
                    .split(separator: "\n").map { line in
                        line.split(separator: "\u{1f}", omittingEmptySubsequences: false).dropLast()
                            .map(String.init)
                    }
                let model = shell.evaluator(world: .host).run(
                    text: text, invocation: invocation, arguments: arguments,
                    environment: environment, workingDir: scratch.path)
                let context = "\(shell.path) \(argv.prefix(1)) \(arguments) script:\n\(text)stderr: \(real.stderr)"
                // Programs that ran (a command the shell could not find logs nothing; its message is checked below).
                let steps = model.steps.filter { ($0.kind == .command || $0.kind == .exec) && $0.failure == nil }
                #expect(steps.allSatisfy { $0.certainty == .definite }, "\(context)")
                let expected = steps.map { [$0.workingDir ?? "?", $0.argv[0]] + $0.argv.dropFirst() }
                #expect(expected == logged, "\(context)")
                if let status = model.knownStatus {
                    #expect(status == Int(real.status), "status: \(context)")
                }
                #expect(model.messages == real.stderrLines, "messages: \(context)")
            }
        }
    }
}
