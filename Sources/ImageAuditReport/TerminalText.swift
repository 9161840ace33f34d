/// Text from an image, made safe to print on a terminal.
///
/// Entry names, tags, config values and messages built from them are attacker-chosen: a raw ESC
/// could recolour or rewrite the screen and a newline in `User` could forge a whole report line.
/// Every control character is shown as a visible escape (`\n`, `\t`, `\x1b`), so what reaches the
/// terminal is exactly what the input held and nothing more; printable UTF-8 (any language,
/// emoji) is kept as is. Escaping is idempotent: backslashes are not doubled, so text that was
/// already escaped (a CRLF script line) prints the same.
public enum TerminalText {
    /// `text` with every C0 and C1 control character, DEL, and the bidirectional overrides that can
    /// reorder what a reader sees ("Trojan Source") replaced by visible escapes.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out +=
                    scalar.value < 0x100
                    ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{" + hex + "}"
            }
        }
        return out
    }

    /// Whether printing `scalar` raw could move the cursor, change the terminal or hide text.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7f..<0xa0: return true
        // LRE RLE PDF LRO RLO, LRI RLI FSI PDI, and the line and paragraph separators.
        case 0x202a...0x202e, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
