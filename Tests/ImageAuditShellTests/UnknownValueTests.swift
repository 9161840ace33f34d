import ImageAuditShell
import Testing

@Suite struct UnknownValueTests {
    @Test("exec \"$@\" after positional parameters became unknown ends the run as not judged")
    func execUnknownPositional() {
        let text = "if [ \"$(id -u)\" = 0 ]; then set -- gosu app \"$@\"; fi\nexec \"$@\"\n"
        let outcome = ShellEvaluator.debian().script(text, arguments: ["server"])
        #expect(outcome.finalExec == nil)
        #expect(outcome.endings.count == 1)
        if case .notJudged(let reason) = outcome.onlyEnding?.kind {
            #expect(reason.hasPrefix("the program of `exec` is not known"))
        } else {
            Issue.record("ending: \(outcome.endings)")
        }
    }

    @Test("export of a command substitution makes the variable unknown, not stale")
    func exportUnknown() {
        let text = "APP=server\nexport APP=\"$(cat /etc/app)\"\nexec \"$APP\"\n"
        let outcome = ShellEvaluator.debian().script(text, arguments: [])
        #expect(outcome.finalExec == nil)
        #expect(outcome.notJudged.count == 1)
    }
}
