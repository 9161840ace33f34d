import ImageAuditShell
import Testing

@Suite struct CommandOutputTests {
    @Test("$(id -u) answered by the caller (the image's USER) decides the root branch")
    func idFromCaller() {
        let text = """
            if [ "$(id -u)" = '0' ]; then
              exec gosu app "$0" "$@"
            fi
            exec "$@"
            """
        for (uid, expected) in [("0\n", ["gosu", "app", "/entry.sh", "server"]), ("1000", ["server"])] {
            var world = FakeWorld(executables: debianBinaries).world
            world.commandOutput = { argv in argv == ["id", "-u"] ? uid : nil }
            let outcome = ShellEvaluator(dialect: .dash, world: world).script(
                text, path: "/entry.sh", arguments: ["server"])
            #expect(outcome.finalExec?.argv == expected)
        }
    }
}
