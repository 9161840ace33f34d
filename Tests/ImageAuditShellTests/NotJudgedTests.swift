import ImageAuditShell
import Testing

/// What cannot be judged statically is said plainly, and never counted as a pass.
@Suite struct NotJudgedTests {
    @Test(
        "not judged, with the reason",
        arguments: [
            ("$CMD --flag", "the command word comes from `$CMD`, which is unset or empty here"),
            (#"eval "$(cat /setup)""#, "`eval` of text that is not known"),
            ("$(which python3) app.py", "the command word is not known: the output of command substitution"),
            ("exec $(cat /cmd)", "the program of `exec` is not known"),
            ("exec *.bin", "the program of `exec` is not known: pathname expansion"),
        ])
    func reasons(text: String, reason: String) throws {
        let outcome = ShellEvaluator.debian().commandString(text)
        let step = try #require(outcome.notJudged.first)
        guard case .notJudged(let actual) = step.certainty else { return }
        #expect(actual.hasPrefix(reason))
        #expect(outcome.finalExec == nil)
    }

    @Test("eval of known text is followed like the script itself")
    func evalKnown() {
        let outcome = ShellEvaluator.debian().commandString(#"ARGS="--a --b"; eval "exec server $ARGS""#)
        #expect(outcome.finalExec?.argv == ["server", "--a", "--b"])
    }

    @Test("an unknown resolution (missing data) is not judged, not a pass")
    func unknownResolution() {
        let world = ShellWorld(resolveCommand: { _, _, _ in .unknown("the layer is not read") })
        let outcome = ShellEvaluator(dialect: .dash, world: world).commandString("exec server")
        #expect(outcome.finalExec == nil)
        #expect(outcome.onlyEnding?.kind == .notJudged("the layer is not read"))
    }

    @Test("a loop whose condition never changes is not judged past the limit")
    func endlessLoop() {
        let outcome = ShellEvaluator.debian().commandString("while true; do :; done; exec server")
        #expect(outcome.onlyEnding?.kind == .notJudged("a `while` loop runs more than 64 times"))
    }

    @Test("a command after a not-judged one is at best conditional")
    func afterNotJudged() {
        let outcome = ShellEvaluator.debian().commandString("$SETUP; exec server")
        #expect(outcome.steps.count == 2)
        if case .conditional = outcome.steps[1].certainty {} else { Issue.record("\(outcome.steps[1].certainty)") }
        #expect(outcome.finalExec == nil)
    }
}
