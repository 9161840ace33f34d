import Foundation
import ImageAuditCheck
import ImageAuditFS
import ImageAuditTestSupport
import Testing

/// Node addons against this machine's real `node` in a chroot of its binary and libraries:
/// `process.dlopen` (RTLD_LAZY) of addons compiled here, verdict and message equal to the model's.
@Suite struct NodeAddonLiveTests {
    static let node = Subprocess.find(["/usr/bin/node", "/usr/local/bin/node"])
    static let gcc = Subprocess.find(["/usr/bin/gcc"])

    @Test(
        "process.dlopen of addons: missing library, lazy symbol, $ORIGIN RUNPATH",
        .enabled(if: getuid() == 0 && node != nil && gcc != nil, "needs root, node and gcc on this machine"))
    func agrees() throws {
        let node = try #require(Self.node)
        let dir = NSTemporaryDirectory() + "nodeaddons-\(getpid())"
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", dir]) }
        let mods = "\(dir)/app/node_modules"
        let script = """
            set -e
            mkdir -p \(dir)/usr/bin \(mods)/a/build/Release \(mods)/b/build/Release \(mods)/c/build/Release/lib /tmp/na-src-$$
            cp \(node) \(dir)/usr/bin/node
            for lib in $(ldd \(node) | awk '/=> \\// {print $3} /^[ \\t]*\\/lib/ {print $1}'); do
              mkdir -p \(dir)$(dirname $lib); cp -L $lib \(dir)$lib; done
            cd /tmp/na-src-$$
            printf 'int f(void);\\nint g(void){return f();}\\n' >a.c; printf 'int f(void){return 1;}\\n' >f.c
            printf 'int nosuch(void);\\nint h(void){return nosuch();}\\n' >lazy.c
            gcc -shared -fPIC -o libf.so.1 f.c -Wl,-soname,libf.so.1
            gcc -shared -fPIC -o \(mods)/a/build/Release/a.node a.c -L. -l:libf.so.1
            gcc -shared -fPIC -o \(mods)/b/build/Release/b.node lazy.c
            gcc -shared -fPIC -o \(mods)/c/build/Release/c.node a.c -L. -l:libf.so.1 -Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib'
            cp libf.so.1 \(mods)/c/build/Release/lib/
            cd /; rm -rf /tmp/na-src-$$
            """
        let made = try Subprocess.run("/bin/sh", ["-c", script])
        try #require(made.status == 0, "\(made.stderr)")
        let addons = ["a", "b", "c"].map { "/app/node_modules/\($0)/build/Release/\($0).node" }
        let probe = addons.map { path in
            "try { process.dlopen({exports: {}}, '\(path)'); console.log('loads') } catch (e) {"
                + " console.log(e.code === 'ERR_DLOPEN_FAILED' && !/self-register/.test(e.message) ? 'fails\\t' + e.message : 'loads') }"
        }.joined(separator: "\n")
        let run = try Subprocess.run("/usr/bin/env", ["-i", "/usr/sbin/chroot", dir, "/usr/bin/node", "-e", probe])
        try #require(run.status == 0, "\(run.stderr)")
        let real = run.stdout.split(separator: "\n").map(String.init)

        let tree = HostFileTree.build(root: dir, requirements: Auditor.requirements)
        let loading = ModuleLoading(
            tree: tree, interpreter: "/usr/bin/node", environment: [:], workingDirectory: "/", credentials: nil,
            muslVersion: nil, bindNow: false)
        let model = addons.map { loading.check($0).map { "fails\t" + $0.message } ?? "loads" }
        #expect(model == real)
        #expect(
            real == ["fails\tlibf.so.1: cannot open shared object file: No such file or directory", "loads", "loads"])
    }
}
