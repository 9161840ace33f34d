import ImageAuditCheck
import ImageAuditFS
import Testing

/// node DIR with package.json "main", setpriv, ruby and php (docs/start-path.md). Messages as the
/// real programs printed them: Node 20 and 24, util-linux 2.38.1's setpriv, Debian bookworm's
/// ruby 3.1 and php 8.2 (Tests/EndToEndTests/LiveStartImagesTests.swift runs node in images).
@Suite struct StartPathInterpreterTests {
    private let debian = Fixture.debian()
    private let glibc = FakeLoading(facts: ["/usr/bin/dash": .glibcAMD64, "/usr/bin/env": .glibcAMD64])

    private func start(_ entries: [LayerEntry], _ argv: [String], user: String? = nil) -> AuditResult {
        audit(
            Fixture.image(debian + entries, cmd: argv, user: user, env: ["PATH=/usr/bin:/bin"], workingDir: "/app"),
            glibc)
    }

    @Test("node DIR: package.json \"main\" as a file, with extensions, as a directory, then DIR/index.js")
    func nodeMain() throws {
        let node = [Fixture.elf("usr/bin/node")]
        func main(_ json: String, _ files: [LayerEntry] = []) -> AuditResult {
            start(node + [Fixture.data("app/package.json", json)] + files, ["node", "."])
        }
        #expect(main("{\"main\": \"lib/server\"}", [Fixture.data("app/lib/server.js", "")]).findings.isEmpty)
        #expect(main("{\"main\": \"./lib\"}", [Fixture.data("app/lib/index.js", "")]).findings.isEmpty)
        #expect(main("{\"main\": \"gone.js\"}", [Fixture.data("app/index.js", "")]).findings.isEmpty)
        let missing = try #require(main("{\"main\": \"lib/server.js\"}").findings.first)
        #expect(missing.code == .scriptFileMissing)
        #expect(
            missing.message
                == "Error: Cannot find module '/app/lib/server.js'. Please verify that the package.json has a "
                + "valid \"main\" entry")
        // A "main" that is not a string is ignored: DIR/index.*, else Node's plain message on DIR.
        #expect(main("{\"main\": 5}").findings.first?.message == "Error: Cannot find module '/app'")
        #expect(main("{\"main\": 5").findings.first?.code == .notJudged)
    }

    @Test("setpriv --reuid --regid --init-groups|--clear-groups PROGRAM: its words and the new user")
    func setpriv() throws {
        let bins = [Fixture.elf("usr/bin/setpriv"), Fixture.elf("usr/bin/server", mode: 0o700)]
        func run(_ argv: [String], user: String? = nil) -> Finding? {
            start(bins, argv, user: user).findings.first
        }
        let missing = try #require(run(["setpriv", "--reuid=app", "--regid=app", "--init-groups", "nothere"]))
        #expect(missing.code == .commandNotFound)
        #expect(missing.message == "setpriv: failed to execute nothere: No such file or directory")
        // server is 0700 root: uid 1000 may not run it.
        let refused = try #require(run(["setpriv", "--reuid", "1000", "--regid", "1000", "--clear-groups", "server"]))
        #expect(refused.message == "setpriv: failed to execute server: Permission denied")
        #expect(run(["setpriv", "--reuid=0", "--regid=0", "--keep-groups", "--", "server"]) == nil)
        #expect(
            run(["setpriv", "--reuid=nobody", "--regid=app", "--init-groups", "server"])?.message
                == "setpriv: failed to parse reuid: 'nobody'")
        #expect(
            run(["setpriv", "--reuid=app", "--regid=app", "server"])?.message
                == "setpriv: --[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups")
        #expect(run(["setpriv", "--inh-caps=-all", "server"])?.code == .notJudged)
        #expect(run(["setpriv", "--reuid=app", "--clear-groups", "server"], user: "app")?.code == .notJudged)
    }

    @Test("ruby FILE and php FILE: a missing or unreadable file in their own words")
    func rubyAndPHP() throws {
        let bins = [
            Fixture.elf("usr/bin/ruby3.1"), Fixture.symlink("usr/bin/ruby", "ruby3.1"), Fixture.elf("usr/bin/php8.2"),
            Fixture.symlink("usr/bin/php", "php8.2"), Fixture.data("app/app.rb", ""), Fixture.data("app/index.php", ""),
            Fixture.file("app/secret.rb", "", mode: 0o600),
        ]
        #expect(start(bins, ["ruby", "app.rb"]).findings.isEmpty)
        #expect(start(bins, ["php", "-d", "a=b", "index.php"]).findings.isEmpty)
        let ruby = try #require(start(bins, ["ruby", "-w", "-I", "lib", "--", "main.rb"]).findings.first)
        #expect(ruby.code == .scriptFileMissing)
        #expect(ruby.message == "ruby: No such file or directory -- main.rb (LoadError)")
        #expect(
            start(bins, ["/usr/bin/ruby", "secret.rb"], user: "app").findings.first?.message
                == "/usr/bin/ruby: Permission denied -- secret.rb (LoadError)")
        #expect(start(bins, ["ruby", "-e", "1"]).findings.first?.code == .notJudged)
        let php = try #require(start(bins, ["php", "-f", "/app/main.php"]).findings.first)
        #expect(php.code == .scriptFileMissing)
        #expect(php.message == "Could not open input file: /app/main.php")
        #expect(start(bins, ["php", "-S", "0.0.0.0:80"]).findings.first?.code == .notJudged)
    }
}
