import ImageAuditCheck
import ImageAuditFS
import Testing

/// After the first exec (docs/start-path.md). Messages are the real programs' (checked live with
/// dash 0.5.12, busybox 1.35, tini 0.19, Python 3.11, Perl 5.36, OpenJDK 17 on this machine).
@Suite struct StartPathTests {
    private let debian = Fixture.debian()
    private let glibc = FakeLoading(facts: [
        "/usr/bin/dash": .glibcAMD64, "/usr/bin/env": .glibcAMD64, "/usr/local/bin/server": .glibcAMD64,
    ])

    private func run(
        _ entries: [LayerEntry], entrypoint: [String]? = nil, cmd: [String]? = nil,
        user: String? = nil, loading: FakeLoading? = nil
    ) -> AuditResult {
        audit(
            Fixture.image(
                debian + entries, entrypoint: entrypoint, cmd: cmd, user: user,
                env: ["PATH=/usr/local/bin:/usr/sbin:/usr/bin:/bin"]), loading ?? glibc)
    }

    private static let entrypointScript = """
        #!/bin/sh
        set -e
        if [ "${1#-}" != "$1" ]; then
            set -- server "$@"
        fi
        exec "$@"
        """

    @Test("shell form: dash's own words and the chain")
    func shellFormNotFound() throws {
        let result = run([], cmd: ["/bin/sh", "-c", "nothere --flag"])
        let finding = try #require(result.findings.first)
        #expect(result.verdict == .fail)
        #expect(finding.code == .commandNotFound)
        #expect(finding.message == "/bin/sh: 1: nothere: not found")
        #expect(finding.chain.first == "start path: sh -c → `nothere --flag`")
    }

    @Test("shell form that finds its program passes")
    func shellFormFound() {
        #expect(
            run([Fixture.elf("usr/local/bin/server")], cmd: ["/bin/sh", "-c", "server --port 80"]).findings.isEmpty)
    }

    @Test("exec \"$@\" judges the Cmd, after set -- rewrites it")
    func entrypointScript() throws {
        let script = Fixture.file("usr/local/bin/docker-entrypoint.sh", Self.entrypointScript)
        let missing = run([script], entrypoint: ["docker-entrypoint.sh"], cmd: ["--verbose"])
        let finding = try #require(missing.findings.first)
        #expect(finding.code == .commandNotFound)
        #expect(finding.message == "/usr/local/bin/docker-entrypoint.sh: 6: exec: server: not found")
        #expect(finding.chain.first == "start path: docker-entrypoint.sh → exec \"$@\"")
        let present = run(
            [script, Fixture.elf("usr/local/bin/server")], entrypoint: ["docker-entrypoint.sh"],
            cmd: ["--verbose"])
        #expect(present.findings.isEmpty)
    }

    @Test("a program reached through the shell goes through the loader model: missing PT_INTERP")
    func loaderAfterShell() throws {
        var loading = glibc
        loading.facts["/usr/local/bin/server"] = .muslAMD64
        let result = run(
            [Fixture.elf("usr/local/bin/server")], cmd: ["/bin/sh", "-c", "exec server"], loading: loading)
        let finding = try #require(result.findings.first)
        #expect(finding.code == .missingInterpreter)
        #expect(finding.message == "/bin/sh: 1: exec: server: not found")
        #expect(finding.chain.first == "start path: sh -c → exec server → /usr/local/bin/server")
    }

    @Test("a command whose failure the shell goes past is a warning; the exec after it decides")
    func nonDecisiveCommand() throws {
        let result = run([Fixture.elf("usr/local/bin/server")], cmd: ["/bin/sh", "-c", "chown-x /data; exec server"])
        #expect(result.verdict == .pass)
        let finding = try #require(result.findings.first)
        #expect(finding.code == .commandNotFound)
        #expect(finding.severity == .warning)
    }

    @Test("a command word from an unset variable is not judged, never a pass of that step")
    func notJudged() throws {
        let finding = try #require(run([], cmd: ["/bin/sh", "-c", "$APP --flag"]).findings.first)
        #expect(finding.code == .notJudged)
        #expect(finding.severity == .warning)
    }

    @Test("tini -- PROGRAM: tini's own words")
    func tini() throws {
        let tini = Fixture.elf("usr/bin/tini")
        let finding = try #require(run([tini], entrypoint: ["/usr/bin/tini", "--", "/app/server"]).findings.first)
        #expect(finding.code == .commandNotFound)
        #expect(finding.message == "[FATAL tini (PID)] exec /app/server failed: No such file or directory")
        #expect(
            run([tini, Fixture.elf("app/server")], entrypoint: ["/usr/bin/tini", "-s", "--", "/app/server"])
                .findings.isEmpty)
    }

    @Test("dumb-init, catatonit and gosu: each in its own words (Debian bookworm's, checked live)")
    func wrappers() throws {
        let bins = [Fixture.elf("usr/bin/dumb-init"), Fixture.elf("usr/bin/catatonit"), Fixture.elf("usr/sbin/gosu")]
        let dumb = try #require(run(bins, entrypoint: ["dumb-init", "-c", "--", "nothere"]).findings.first)
        #expect(dumb.message == "[dumb-init] nothere: No such file or directory")
        let cat = try #require(run(bins, entrypoint: ["catatonit", "--", "/app/server"]).findings.first)
        #expect(cat.message == "ERROR (catatonit:PID): failed to exec pid1: No such file or directory")
        let gosu = try #require(run(bins, entrypoint: ["gosu", "app", "nothere"]).findings.first)
        #expect(gosu.code == .commandNotFound)
        #expect(gosu.message == "error: exec: \"nothere\": executable file not found in $PATH")
        let user = try #require(run(bins, entrypoint: ["gosu", "nouser", "server"]).findings.first)
        #expect(
            user.message
                == "error: failed switching to \"nouser\": unable to find user nouser: "
                + "no matching entries in passwd file"
        )
        // The official images' idiom: the script drops privileges, then execs the Cmd.
        let script = Fixture.file(
            "entry.sh",
            "#!/bin/sh\nset -e\nif [ \"$(id -u)\" = '0' ]; then\n"
                + "  exec gosu app \"$0\" \"$@\"\nfi\nexec \"$@\"\n")
        let idiom = run(bins + [script], entrypoint: ["/entry.sh"], cmd: ["server"])
        let finding = try #require(idiom.findings.first)
        #expect(finding.message == "/entry.sh: 6: exec: server: not found")
        #expect(finding.chain.first?.contains("gosu") == true)
    }

    @Test("env NAME=VALUE PROGRAM: coreutils env's words")
    func env() throws {
        let finding = try #require(run([], entrypoint: ["/usr/bin/env", "MODE=prod", "nothere"]).findings.first)
        #expect(finding.code == .commandNotFound)
        #expect(finding.message == "/usr/bin/env: 'nothere': No such file or directory")
    }

    @Test("sh FILE: a missing script in dash's words; a script without #! is read only when kept")
    func shFile() throws {
        let finding = try #require(run([], cmd: ["sh", "/app/start.sh"]).findings.first)
        #expect(finding.code == .scriptFileMissing)
        #expect(finding.message == "sh: 0: cannot open /app/start.sh: No such file")
        let unkept = run([Fixture.file("app/start.sh", "exec server\n", mode: 0o644)], cmd: ["sh", "/app/start.sh"])
        #expect(unkept.findings.first?.code == .notJudged)
    }

    @Test("interpreters given a missing file: python3, perl, java -jar")
    func interpreters() throws {
        let bins = [
            Fixture.elf("usr/bin/python3.11"), Fixture.symlink("usr/bin/python3", "python3.11"),
            Fixture.elf("usr/bin/perl"), Fixture.elf("usr/bin/java"),
        ]
        let python = try #require(run(bins, cmd: ["python3", "main.py"]).findings.first)
        #expect(python.code == .scriptFileMissing)
        #expect(python.message == "python3: can't open file '/main.py': [Errno 2] No such file or directory")
        let perl = try #require(run(bins, cmd: ["perl", "x.pl"]).findings.first)
        #expect(perl.message == "Can't open perl script \"x.pl\": No such file or directory")
        let java = try #require(run(bins, cmd: ["java", "-jar", "/app/app.jar"]).findings.first)
        #expect(java.message == "Error: Unable to access jarfile /app/app.jar")
        #expect(
            run(bins + [Fixture.file("main.py", "print(1)\n", mode: 0o644)], cmd: ["python3", "main.py"])
                .findings.isEmpty)
    }

    @Test("python3 -m MODULE on the sys.path Python computes (PythonSysPath); wording of Debian's python3.11")
    func pythonModule() throws {
        let python = [
            Fixture.elf("usr/bin/python3.11"), Fixture.symlink("usr/bin/python3", "python3.11"),
            Fixture.data("usr/lib/python3.11/os.py", "# landmark\n"),
            Fixture.data("app/web/__init__.py", ""), Fixture.data("app/web/__main__.py", "print(1)\n"),
            Fixture.data("app/lib/__init__.py", ""),
        ]
        func module(_ name: String) -> AuditResult {
            audit(
                Fixture.image(
                    debian + python, cmd: ["python3", "-m", name], env: ["PATH=/usr/bin:/bin"],
                    workingDir: "/app"), glibc)
        }
        #expect(module("web").findings.isEmpty)
        #expect(module("nomod").findings.first?.message == "/usr/bin/python3: No module named nomod")
        #expect(
            module("lib").findings.first?.message
                == "/usr/bin/python3: No module named lib.__main__; 'lib' is a package and cannot be directly executed")
        #expect(
            module("nomod.sub").findings.first?.message
                == "/usr/bin/python3: Error while finding module specification for 'nomod.sub' "
                + "(ModuleNotFoundError: No module named 'nomod')"
        )
        #expect(module("web.nothere").findings.first?.message == "/usr/bin/python3: No module named web.nothere")
    }

    @Test("node FILE: Node's resolution (FILE, FILE.js, DIR/index.js); npm scripts are not judged")
    func node() throws {
        let bins = [
            Fixture.elf("usr/bin/node"), Fixture.data("app/server.js", ""), Fixture.data("srv/web/index.js", ""),
        ]
        func start(_ argv: [String]) -> AuditResult {
            audit(Fixture.image(debian + bins, cmd: argv, env: ["PATH=/usr/bin:/bin"], workingDir: "/app"), glibc)
        }
        #expect(start(["node", "server.js"]).findings.isEmpty)
        #expect(start(["node", "server"]).findings.isEmpty)
        #expect(start(["node", "/srv/web"]).findings.isEmpty)
        let missing = try #require(start(["node", "--enable-source-maps", "main.js"]).findings.first)
        #expect(missing.code == .scriptFileMissing)
        #expect(missing.message == "Error: Cannot find module '/app/main.js'")
        #expect(start(["node", "/usr/bin/npm", "start"]).findings.first?.code == .notJudged)
    }

    @Test("npm start / npm run X: the package.json script run by sh -c with node_modules/.bin on PATH (npm 10)")
    func npm() throws {
        func start(_ scripts: String, _ argv: [String], extra: [LayerEntry] = []) -> AuditResult {
            let files = [
                Fixture.elf("usr/bin/node"),
                Fixture.file("usr/lib/node_modules/npm/bin/npm-cli.js", "#!/usr/bin/env node\n"),
                Fixture.symlink("usr/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js"),
                Fixture.data("usr/lib/node_modules/npm/package.json", "{\"name\": \"npm\", \"version\": \"10.8.2\"}"),
                Fixture.data("app/package.json", "{\"name\": \"x\", \"scripts\": \(scripts)}"),
            ]
            return audit(
                Fixture.image(debian + files + extra, cmd: argv, env: ["PATH=/usr/bin:/bin"], workingDir: "/app"),
                glibc)
        }
        let missing = try #require(start("{\"start\": \"nothere --port 1\"}", ["npm", "start"]).findings.first)
        #expect(missing.code == .commandNotFound)
        #expect(missing.message == "sh: 1: nothere: not found")
        #expect(missing.chain.first?.contains("npm start → \"start\": nothere --port 1 → sh -c") == true)
        let bin = [Fixture.elf("app/node_modules/.bin/server")]
        #expect(start("{\"start\": \"server --port 1\"}", ["npm", "start"], extra: bin).findings.isEmpty)
        let noScript = try #require(start("{\"start\": \"server\"}", ["npm", "run", "build"]).findings.first)
        #expect(noScript.message == "npm error Missing script: \"build\"")
        let pre = try #require(
            start("{\"prestart\": \"migrate\", \"start\": \"server\"}", ["npm", "start"], extra: bin)
                .findings.first)
        #expect(pre.message == "sh: 1: migrate: not found")
    }

    @Test("a script the user may not read: script-file-missing with EACCES")
    func unreadable() throws {
        let bins = [Fixture.elf("usr/bin/python3")]
        let file = Fixture.file("app/main.py", "print(1)\n", mode: 0o600)
        let finding = try #require(run(bins + [file], cmd: ["python3", "/app/main.py"], user: "app").findings.first)
        #expect(finding.code == .scriptFileMissing)
        #expect(finding.message == "python3: can't open file '/app/main.py': [Errno 13] Permission denied")
    }

    @Test("busybox without apk's database may run a name as an applet: not judged; Alpine's: not found")
    func busyboxApplets() throws {
        let plain = audit(Fixture.image(Fixture.busybox, cmd: ["/bin/sh", "-c", "nothere"]))
        #expect(plain.findings.first?.code == .notJudged)
        let alpine = audit(Fixture.image(Fixture.alpine, cmd: ["/bin/sh", "-c", "nothere"]))
        let finding = try #require(alpine.findings.first)
        #expect(finding.code == .commandNotFound)
        #expect(finding.message == "/bin/sh: nothere: not found")
    }
}
