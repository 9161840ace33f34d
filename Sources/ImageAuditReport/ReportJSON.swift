import Foundation

/// The one JSON encoding of every report (audit, jsonl, SARIF, inspect, tree): sorted keys so
/// output is stable across runs, slashes unescaped so paths stay readable.
public enum ReportJSON {
    /// `value` as JSON text, pretty-printed or on one line.
    public static func encode(_ value: some Encodable, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
