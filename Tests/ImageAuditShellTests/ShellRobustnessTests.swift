import ImageAuditShell
import Testing

/// Hostile or random input: a syntax error or a not-judged ending, never a crash or a hang.
@Suite struct ShellRobustnessTests {
    @Test("deep nesting is a syntax error, not a stack overflow")
    func deepNesting() {
        for text in [
            String(repeating: "(", count: 50_000), String(repeating: "{ ", count: 20_000),
            "echo " + String(repeating: "${a:-", count: 20_000), String(repeating: "if true; then ", count: 5_000),
        ] {
            guard case .failure(let error) = ShellScript.parse(text) else {
                Issue.record("parsed")
                continue
            }
            #expect(!error.message.isEmpty)
        }
    }

    @Test("exponential work is cut off as not judged")
    func budget() {
        let loop = "for i in 1 2 3 4 5 6 7 8; do "
        let text =
            "f() { g; g; g; g; }\ng() { h; h; h; h; }\nh() { " + String(repeating: loop, count: 4) + "x"
            + String(repeating: "; done", count: 4) + "; }\nf\nexec server"
        let outcome = ShellEvaluator.debian().commandString(text)
        #expect(outcome.finalExec == nil)
        #expect(outcome.endings.filter { if case .notJudged = $0.kind { true } else { false } }.count == 1)
    }

    @Test("random shell-ish text never crashes the parser or the evaluator", arguments: 0..<20)
    func random(seed: Int) {
        let alphabet = Array("ab $'\"\\`(){}[];&|<>#=*?!-~\n\t:+%@0123456789ifthenfidoecas{}")
        var generator = ShellDifferentialTests.Generator(state: UInt64(seed) &+ 99)
        for _ in 0..<50 {
            let text = String((0..<(1 + generator.next(80))).map { _ in alphabet[generator.next(alphabet.count)] })
            let outcome = ShellEvaluator.debian().commandString(text, arguments: ["x"])
            #expect(!outcome.endings.isEmpty)
        }
    }
}
