import ImageAuditConfig
import Testing

/// The config file's shape: flag defaults as values or lists, ignores with a required reason.
@Suite struct ConfigFileTests {
    static let keys: Set<String> = ["fail-on", "output", "jobs", "strict"]

    @Test("the documented example parses: fail-on, a list of outputs, an ignore with every field")
    func example() throws {
        let config = try ConfigFile.parse(
            """
            fail-on: error
            output: [text, sarif=audit.sarif]
            strict: false
            ignore:
              - code: missing-library           # required
                path: /usr/lib/libfoo.so.1
                image: "registry.example.com/team/*"
                reason: "loaded only by the optional PDF export"
                until: 2027-03-31
            """, path: "c.yaml", knownKeys: Self.keys)
        #expect(config.settings["fail-on"] == ["error"])
        #expect(config.settings["output"] == ["text", "sarif=audit.sarif"])
        #expect(config.settings["strict"] == ["false"])
        #expect(
            config.ignores == [
                ConfigFile.Ignore(
                    code: "missing-library", path: "/usr/lib/libfoo.so.1", image: "registry.example.com/team/*",
                    reason: "loaded only by the optional PDF export", until: "2027-03-31")
            ])
    }

    @Test("an empty file is no settings; a missing reason, a bad date, an unknown key are errors naming the file")
    func errors() throws {
        #expect(try ConfigFile.parse("", path: "c.yaml", knownKeys: Self.keys).settings.isEmpty)
        let cases = [
            ("ignore:\n  - code: missing-library\n", "needs a reason"),
            ("ignore:\n  - code: x\n    reason: r\n    until: 2027-13-01\n", "until must be a date"),
            ("colour: never\n", "unknown key 'colour'"),
            ("- a\n- b\n", "top level must be a mapping"),
            ("fail-on: [error\n", "not valid YAML"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try ConfigFile.parse(text, path: "c.yaml", knownKeys: Self.keys)
            } throws: { error in
                "\(error)".hasPrefix("c.yaml: ") && "\(error)".contains(expected)
            }
        }
    }
}
