import ImageAuditReport
import Testing

@Suite struct TerminalTextTests {
    @Test("every control character is shown; printable UTF-8 and backslashes are kept")
    func escapes() {
        #expect(TerminalText.escaped("a\nb\tc\r") == "a\\nb\\tc\\r")
        #expect(TerminalText.escaped("\u{1b}[31mred\u{7}\u{8}\u{0}\u{7f}") == "\\x1b[31mred\\x07\\x08\\x00\\x7f")
        #expect(TerminalText.escaped("\u{9b}2J\u{85}") == "\\x9b2J\\x85")
        #expect(TerminalText.escaped("abc\u{202e}cba\u{2066}") == "abc\\u{202e}cba\\u{2066}")
        #expect(TerminalText.escaped("naïve 日本 🚀 \\x1b") == "naïve 日本 🚀 \\x1b")
        let once = TerminalText.escaped("x\ny\u{1b}")
        #expect(TerminalText.escaped(once) == once)
    }
}
