import ImageAuditTestSupport

/// What `readelf -hldVW --dyn-syms FILE` says, parsed: the independent reading the parser is checked against.
/// readelf finds the tables through the section headers, the parser through `PT_DYNAMIC`.
struct ReadelfReport {
    var elfClass = ""
    var type = ""
    var machine = ""
    var interpreter: String?
    var needed: [String] = []
    var soname: String?
    var rpath: String?
    var runpath: String?
    var versionNeeds: [(file: String, versions: [String])] = []
    var versionDefinitions: [String] = []
    var undefined: Set<String> = []
    var definedCount = 0

    static let readelf = Subprocess.find(["/usr/bin/readelf", "/usr/bin/x86_64-linux-gnu-readelf"])

    init?(path: String) {
        guard let readelf = Self.readelf,
            let output = try? Subprocess.run(readelf, ["-hldVW", "--dyn-syms", path], environment: ["LC_ALL": "C"]),
            output.status == 0
        else { return nil }
        for line in output.stdout.split(separator: "\n").map(String.init) { parse(line) }
    }

    private static func bracketed(_ line: String) -> String? {
        guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]"), open < close else { return nil }
        return String(line[line.index(after: open)..<close])
    }

    private static func field(_ line: String, after key: String) -> String? {
        guard let range = line.range(of: key) else { return nil }
        return line[range.upperBound...].split(separator: " ").first.map(String.init)
    }

    private mutating func parse(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("Class:") { elfClass = String(trimmed.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
        if trimmed.hasPrefix("Type:") && !trimmed.contains("Offset") {
            type = trimmed.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
        }
        if trimmed.hasPrefix("Machine:") { machine = String(trimmed.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
        if trimmed.hasPrefix("[Requesting program interpreter:") {
            interpreter = String(trimmed.dropFirst(33).dropLast())
        }
        if line.contains("(NEEDED)"), let name = Self.bracketed(line) { needed.append(name) }
        if line.contains("(SONAME)") { soname = Self.bracketed(line) }
        if line.contains("(RPATH)") { rpath = Self.bracketed(line) }
        if line.contains("(RUNPATH)") { runpath = Self.bracketed(line) }
        if line.contains("Version:") && line.contains("File:"), let file = Self.field(line, after: "File: ") {
            versionNeeds.append((file, []))
        }
        if line.contains("Name:") && line.contains("Flags:") && line.contains("Version:"),
            let name = Self.field(line, after: "Name: "), !versionNeeds.isEmpty
        {
            versionNeeds[versionNeeds.count - 1].versions.append(name)
        }
        if line.contains("Rev:") && line.contains("Index:"), let name = Self.field(line, after: "Name: ") {
            versionDefinitions.append(name)
        }
        parseSymbol(trimmed)
    }

    /// `Num: Value Size Type Bind Vis Ndx Name` rows of `--dyn-syms`.
    private mutating func parseSymbol(_ line: String) {
        let columns = line.split(separator: " ", omittingEmptySubsequences: true)
        guard columns.count >= 8, columns[0].hasSuffix(":"), Int(columns[0].dropLast()) != nil else { return }
        let (type, bind, visibility, index) = (columns[3], columns[4], columns[5], columns[6])
        guard bind != "LOCAL" else { return }
        let name = String(columns[7].split(separator: "@").first ?? "")
        guard !name.isEmpty else { return }
        if index == "UND" {
            undefined.insert(name)
        } else if (visibility == "DEFAULT" || visibility == "PROTECTED") && type != "SECTION" && type != "FILE" {
            definedCount += 1
        }
    }
}
