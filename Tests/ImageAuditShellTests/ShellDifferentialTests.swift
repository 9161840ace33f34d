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
        .enabled(if: LiveShell.anyPresent, "needs /bin/dash, /bin/bash or /bin/busybox"), arguments: 0..<48)
    func differential(seed: Int) throws {
        let scratch = try ScratchDirectory()
        let bin = scratch.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.path + "/sub", withIntermediateDirectories: true)
        // Each stub logs its working directory and argv, fields separated by \037.
        let stub = "#!/bin/sh\n{ printf '%s\\037' \"$(pwd)\" \"${0##*/}\"; "
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
                let real = try shell.run(argv, in: scratch.path, environment: environment)
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

/// Scripts whose flow depends on stub exit statuses the model cannot know: every command the real shell
/// runs must be among the evaluator's steps (definite or conditional, in order), and every definite step
/// must run.
@Suite struct ShellSoundnessTests {
    static let fragments = [
        "fail || a after-fail",
        "a x && b y",
        "if fail; then a then; else b else; fi",
        "while fail; do a never; done",
        #"case "$(a sub)" in x) b x ;; *) c other ;; esac"#,
        "ok && c ok-and || a ok-or",
        #"b plain "$1""#,
        "for f in ./*.sh; do c glob \"$f\"; done",
        "! fail && a negated",
        #"v=$(c subst); b "$v""#,
    ]

    @Test(
        "generated scripts with unknown statuses: real ⊆ model steps, definite ⊆ real",
        .enabled(if: LiveShell.anyPresent, "needs /bin/dash, /bin/bash or /bin/busybox"), arguments: 0..<24)
    func soundness(seed: Int) throws {
        let scratch = try ScratchDirectory()
        let bin = scratch.path + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let log = "{ printf '%s\\037' \"${0##*/}\"; for x in \"$@\"; do printf '%s\\037' \"$x\"; done; echo; }"
            + " >> \"$LOG\"\n"
        for name in ["a", "b", "c", "ok"] { try scratch.write("bin/" + name, "#!/bin/sh\n" + log, executable: true) }
        try scratch.write("bin/fail", "#!/bin/sh\n" + log + "exit 1\n", executable: true)
        try scratch.write("one.sh", "")
        var generator = ShellDifferentialTests.Generator(state: UInt64(seed) &* 104_729 &+ 3)
        let text = (0..<(2 + generator.next(4))).map { _ in Self.fragments[generator.next(Self.fragments.count)] }
            .joined(separator: "\n") + "\n"
        let logPath = scratch.path + "/log"
        let environment = ["PATH": bin + ":/usr/bin:/bin", "LOG": logPath]
        for shell in LiveShell.available(in: scratch.path) {
            try? FileManager.default.removeItem(atPath: logPath)
            let real = try shell.run(["-c", text, "nm", "p"], in: scratch.path, environment: environment)
            // Command substitutions run stubs too; the model does not see those as steps.
            let logged = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n")
                .map { $0.split(separator: "\u{1f}", omittingEmptySubsequences: false).dropLast().map(String.init) }
                .filter { $0 != ["a", "sub"] && $0 != ["c", "subst"] }
            let model = shell.evaluator(world: .host).run(
                text: text, invocation: .commandString(shellArgv0: shell.path, name: "nm"), arguments: ["p"],
                environment: environment, workingDir: scratch.path)
            let context = "\(shell.path) script:\n\(text)stderr: \(real.stderr)"
            let steps = model.steps.filter { $0.kind == .command || $0.kind == .exec }
            // Each real command is matched, in order, by a model step with the same argv (or one not judged).
            var index = 0
            for argv in logged {
                while index < steps.count, steps[index].argv != argv, steps[index].unknownArguments == nil,
                    !steps[index].argv.isEmpty
                {
                    index += 1
                }
                #expect(index < steps.count, "real \(argv) not predicted: \(context)")
                index += 1
            }
            for step in steps where step.certainty == .definite && step.unknownArguments == nil {
                #expect(logged.contains(step.argv), "definite \(step.argv) did not run: \(context)")
            }
        }
    }
}
