import Foundation
import ImageAuditShell
import Testing

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
        let log =
            "{ printf '%s\\037' \"${0##*/}\"; for x in \"$@\"; do printf '%s\\037' \"$x\"; done; echo; }"
            + " >> \"$LOG\"\n"
        for name in ["a", "b", "c", "ok"] { try scratch.write("bin/" + name, "#!/bin/sh\n" + log, executable: true) }
        try scratch.write("bin/fail", "#!/bin/sh\n" + log + "exit 1\n", executable: true)
        try scratch.write("one.sh", "")
        var generator = ShellDifferentialTests.Generator(state: UInt64(seed) &* 104_729 &+ 3)
        let text =
            (0..<(2 + generator.next(4))).map { _ in Self.fragments[generator.next(Self.fragments.count)] }
            .joined(separator: "\n") + "\n"
        let logPath = scratch.path + "/log"
        let environment = ["PATH": bin + ":/usr/bin:/bin", "LOG": logPath]
        for shell in LiveShell.available(in: scratch.path) {
            try? FileManager.default.removeItem(atPath: logPath)
            let real = try shell.run(["-c", text, "nm", "p"], in: scratch.path, environment: environment) {
                try? FileManager.default.removeItem(atPath: logPath)
            }
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
