import ImageAuditShell
import Testing

/// Entrypoint scripts written for these tests from the idioms of official images' docker-entrypoint.sh.
@Suite struct EntrypointScriptTests {
    /// The node image's idiom: an option or a name that is not a command means "run node with it".
    static let nodeStyle = """
        #!/bin/sh
        set -e
        # options, or a file that is not a command, go to node
        if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ]; then
          set -- node "$@"
        fi
        exec "$@"
        """

    @Test("node idiom: an option is handed to node, and exec \"$@\" is the final program")
    func nodeOption() throws {
        let outcome = ShellEvaluator.debian().script(Self.nodeStyle, arguments: ["--version"])
        let final = try #require(outcome.finalExec)
        #expect(final.argv == ["node", "--version"])
        #expect(final.resolution == .found("/usr/local/bin/node"))
        #expect(outcome.steps.count == 1)
    }

    @Test("node idiom: a file name that is no command goes to node; a command runs itself")
    func nodeFileOrCommand() throws {
        let evaluator = ShellEvaluator.debian()
        let file = evaluator.script(Self.nodeStyle, arguments: ["server.js"])
        #expect(file.finalExec?.argv == ["node", "server.js"])
        let command = evaluator.script(Self.nodeStyle, arguments: ["python3", "-V"])
        #expect(command.finalExec?.argv == ["python3", "-V"])
        #expect(command.finalExec?.resolution == .found("/usr/bin/python3"))
    }

    /// A database image: option → server, then setup as root, then drop privileges with gosu.
    static let databaseStyle = """
        #!/bin/bash
        set -eu
        if [ "${1:0:1}" = '-' ]; then
        \tset -- dbserver "$@"
        fi
        if [ "$1" = 'dbserver' ]; then
        \tmkdir -p "$DATADIR"
        \tchown -R db "$DATADIR"
        \texec gosu db "$@"
        fi
        exec "$@"
        """

    @Test("database idiom: `set --` rewrite, setup steps under set -e, then exec gosu USER \"$@\"")
    func databaseServer() throws {
        let world = FakeWorld(executables: debianBinaries + ["/usr/local/bin/dbserver"])
        let outcome = ShellEvaluator.debian(.bash, world: world).script(
            Self.databaseStyle, arguments: ["-c", "fsync=off"], environment: ["DATADIR": "/var/lib/db"])
        #expect(
            outcome.argvs == [
                ["mkdir", "-p", "/var/lib/db"], ["chown", "-R", "db", "/var/lib/db"],
                ["gosu", "db", "dbserver", "-c", "fsync=off"],
            ])
        #expect(outcome.steps.allSatisfy { $0.certainty == .definite })
        #expect(outcome.steps[0].exitsOnFailure)
        #expect(outcome.finalExec?.kind == .exec)
        #expect(outcome.finalExec?.argv.prefix(2) == ["gosu", "db"])
    }

    @Test("database idiom: another command skips the setup and is exec'd as it is")
    func databaseOtherCommand() {
        let outcome = ShellEvaluator.debian(.bash).script(
            Self.databaseStyle, arguments: ["cat", "/etc/os-release"], environment: ["DATADIR": "/d"])
        #expect(outcome.argvs == [["cat", "/etc/os-release"]])
        #expect(outcome.finalExec?.resolution == .found("/bin/cat"))
    }

    @Test("set -u: an unset variable stops the script with the shell's message")
    func nounset() {
        let outcome = ShellEvaluator.debian(.bash).script(Self.databaseStyle, arguments: ["dbserver"])
        #expect(outcome.steps.isEmpty)
        #expect(
            outcome.onlyEnding?.kind
                == .failure(
                    ShellFailure(
                        messages: ["/usr/local/bin/docker-entrypoint.sh: line 7: DATADIR: unbound variable"],
                        status: 127)))
    }

    @Test("a root check through $(id -u) is not known: both endings are conditional, none is a pass")
    func rootCheck() {
        let text = """
            #!/bin/sh
            if [ "$(id -u)" = '0' ]; then
              chown -R app /data
              exec gosu app "$0" "$@"
            fi
            exec "$@"
            """
        let outcome = ShellEvaluator.debian().script(text, arguments: ["server"])
        #expect(outcome.finalExec == nil)
        #expect(
            outcome.argvs == [
                ["chown", "-R", "app", "/data"],
                ["gosu", "app", "/usr/local/bin/docker-entrypoint.sh", "server"], ["server"],
            ])
        #expect(outcome.steps.allSatisfy { if case .conditional = $0.certainty { true } else { false } })
        #expect(outcome.endings.count == 2)
        #expect(outcome.endings.allSatisfy { $0.kind == .exec })
    }

    @Test("a sourced file defines functions and variables used later; a missing one is dash's error")
    func sourced() {
        let library = """
            : "${PORT:=8080}"
            APP_BIN=/usr/local/bin/server
            start() { exec "$APP_BIN" --port "$PORT" "$@"; }
            """
        let world = FakeWorld(executables: debianBinaries, files: ["/usr/local/lib/app.sh": library])
        let text = "#!/bin/sh\n. /usr/local/lib/app.sh\nstart --verbose\n"
        let outcome = ShellEvaluator.debian(world: world).script(text, arguments: [])
        #expect(outcome.steps.first?.kind == .sourced)
        #expect(outcome.finalExec?.argv == ["/usr/local/bin/server", "--port", "8080", "--verbose"])
        let missing = ShellEvaluator.debian().script(text, path: "/entry.sh", arguments: [])
        #expect(
            missing.onlyEnding?.kind
                == .failure(
                    ShellFailure(
                        messages: ["/entry.sh: 2: .: cannot open /usr/local/lib/app.sh: No such file"], status: 2)))
    }

    @Test("a loop over a glob is not known: its steps are conditional and the exec after it still definite")
    func initDirectoryLoop() {
        let text = """
            #!/bin/sh
            for f in /docker-entrypoint.d/*.sh; do
              [ -x "$f" ] && "$f"
            done
            exec "$@"
            """
        let outcome = ShellEvaluator.debian().script(text, arguments: ["server"])
        #expect(outcome.finalExec?.argv == ["server"])
        #expect(outcome.notJudged.count == 1)
    }

    @Test("case on $1 with patterns picks the branch; a default branch runs the rest")
    func caseDispatch() {
        let text = """
            case "$1" in
              -*) set -- server "$@" ;;
              server|'') ;;
              *) exec "$@" ;;
            esac
            cd /srv
            exec ./run "$@"
            """
        let world = FakeWorld(executables: debianBinaries + ["/srv/run"], directories: ["/srv"])
        let evaluator = ShellEvaluator.debian(world: world)
        let option = evaluator.script(text, arguments: ["-v"])
        #expect(option.finalExec?.argv == ["./run", "server", "-v"])
        #expect(option.finalExec?.workingDir == "/srv")
        #expect(option.finalExec?.resolution == .found("/srv/run"))
        #expect(evaluator.script(text, arguments: ["ls", "-l"]).finalExec?.argv == ["ls", "-l"])
    }

    @Test("functions, shift and a while loop with a known count")
    func functionsAndLoops() {
        let text = """
            log() { echo "$@" >&2; }
            i=0
            while [ "$i" -lt 2 ]; do
              mkdir -p "/tmp/d$i"
              i=$((i + 1))
            done
            log starting
            shift
            exec server "$@"
            """
        let outcome = ShellEvaluator.debian().script(text, arguments: ["drop", "--flag"])
        #expect(outcome.argvs == [["mkdir", "-p", "/tmp/d0"], ["mkdir", "-p", "/tmp/d1"], ["server", "--flag"]])
        #expect(outcome.finalExec != nil)
    }

    @Test("the environment: exported and prefix assignments reach the program, plain ones do not")
    func environment() throws {
        let text = "export A=1\nB=2\nC=3 exec server\n"
        let outcome = ShellEvaluator.debian().script(text, arguments: [], environment: ["KEEP": "k"])
        let final = try #require(outcome.finalExec)
        #expect(final.environment["A"] == "1")
        #expect(final.environment["B"] == nil)
        #expect(final.environment["C"] == "3")
        #expect(final.environment["KEEP"] == "k")
    }
}
