import ImageAuditFS

/// A `#!` line as the kernel reads it (fs/binfmt_script.c): at most 256 bytes; the interpreter
/// ends at the first space, tab or NUL; one optional argument, the rest of the line with
/// surrounding spaces and tabs trimmed. A `\r` is not a separator: it stays in the name.
struct Shebang: Sendable, Hashable {
    var interpreter: String
    var argument: String?
    /// The line as written, for messages.
    var line: String

    /// The kernel's buffer (BINPRM_BUF_SIZE).
    static let bufferSize = 256

    enum ParseError: Error, Equatable {
        /// Not `#!` at all.
        case notAScript
        /// `#!` followed by blanks only: ENOEXEC.
        case noInterpreter
        /// No newline in the first 256 bytes and the name runs to the end: ENOEXEC.
        case truncated
    }

    /// Parses the start of a file (`head`, which the kernel sees zero-padded to 256 bytes).
    init(parsing head: [UInt8]) throws(ParseError) {
        guard head.count >= 2, head[0] == UInt8(ascii: "#"), head[1] == UInt8(ascii: "!") else { throw .notAScript }
        var buffer = Array(head.prefix(Self.bufferSize))
        buffer += [UInt8](repeating: 0, count: Self.bufferSize - buffer.count)
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let isTerminator = { (byte: UInt8) in isBlank(byte) || byte == 0 }

        var end: Int
        if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            end = newline
        } else {
            // No newline: the name must be followed by a blank or NUL within the buffer.
            guard let start = buffer[2...].firstIndex(where: { !isBlank($0) }) else { throw .noInterpreter }
            guard buffer[start...].contains(where: isTerminator) else { throw .truncated }
            end = buffer.count
        }
        while end > 2 && isBlank(buffer[end - 1]) { end -= 1 }
        guard let nameStart = buffer[2..<end].firstIndex(where: { !isBlank($0) }) else { throw .noInterpreter }
        let nameEnd = buffer[nameStart..<end].firstIndex(where: isTerminator) ?? end
        interpreter = String(decoding: buffer[nameStart..<nameEnd], as: UTF8.self)
        argument = nil
        if nameEnd < end, buffer[nameEnd] != 0,
            let argStart = buffer[nameEnd..<end].firstIndex(where: { !isBlank($0) })
        {
            argument = String(decoding: buffer[argStart..<end], as: UTF8.self)
        }
        line = String(decoding: buffer[0..<end], as: UTF8.self)
    }

    /// The program `#!/usr/bin/env [-S] [NAME=VALUE…] PROGRAM` asks env to find, or nil when
    /// the interpreter is not env or names no program.
    var envCommand: String? {
        guard ImagePath.basename(interpreter) == "env", let argument else { return nil }
        var words = argument.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first == "-S" {
            words.removeFirst()
        } else if let first = words.first, first.hasPrefix("-S") {
            words[0] = String(first.dropFirst(2))
        } else {
            words = [argument]  // without -S the kernel passes the whole rest as one argument
        }
        return words.first { !$0.hasPrefix("-") && !$0.contains("=") && !$0.isEmpty }
    }
}
