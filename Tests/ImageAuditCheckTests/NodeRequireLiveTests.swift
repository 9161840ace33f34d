import Foundation
import ImageAuditFS
import ImageAuditOCI
import ImageAuditTestSupport
import Testing

@testable import ImageAuditCheck

/// Which addons a Node start requires, against this machine's node 20 in a chroot of its binary
/// and libraries (as NodeAddonLiveTests): an entry script that requires a package whose only addon
/// (build/Release) needs a missing library fails as node fails, with its words; the same addon
/// required only inside a function, or not at all, does not stop the start.
@Suite struct NodeRequireLiveTests {
    @Test(
        "require() at start: the error and its words equal node's; a later require is not an error",
        .enabled(
            if: getuid() == 0 && NodeAddonLiveTests.node != nil && NodeAddonLiveTests.gcc != nil,
            "needs root, node and gcc on this machine"))
    func agrees() throws {
        let node = try #require(NodeAddonLiveTests.node)
        let dir = NSTemporaryDirectory() + "noderequire-\(getpid())"
        defer { _ = try? Subprocess.run("/bin/rm", ["-rf", dir]) }
        let mods = "\(dir)/app/node_modules"
        let script = """
            set -e
            mkdir -p \(dir)/usr/bin \(mods)/a/build/Release \(mods)/b/build/Release \(mods)/d/build/Release /tmp/nr-src-$$
            cp \(node) \(dir)/usr/bin/node
            for lib in $(ldd \(node) | awk '/=> \\// {print $3} /^[ \\t]*\\/lib/ {print $1}'); do
              mkdir -p \(dir)$(dirname $lib); cp -L $lib \(dir)$lib; done
            cd /tmp/nr-src-$$
            printf 'int f(void);\\nint g(void){return f();}\\n' >a.c; printf 'int f(void){return 1;}\\n' >f.c
            printf 'int nosuch(void);\\nint h(void){return nosuch();}\\n' >lazy.c
            # N-API registration, so that node accepts the addons that load.
            printf 'void *napi_register_module_v1(void *env, void *exports){return exports;}\\n' >>a.c
            printf 'void *napi_register_module_v1(void *env, void *exports){return exports;}\\n' >>lazy.c
            gcc -shared -fPIC -o libf.so.1 f.c -Wl,-soname,libf.so.1
            gcc -shared -fPIC -o \(mods)/a/build/Release/a.node a.c -L. -l:libf.so.1
            gcc -shared -fPIC -o \(mods)/b/build/Release/b.node lazy.c
            cp \(mods)/a/build/Release/a.node \(mods)/d/build/Release/d.node
            for p in a b d; do printf "module.exports = require('./build/Release/$p.node')\\n" >\(mods)/$p/index.js; done
            cd /; rm -rf /tmp/nr-src-$$
            printf "const b = require('b')\\nconst a = require(\\"a\\")\\nfunction later() {\\n  return require('d')\\n}\\nconsole.log('IMAGEAUDIT-TEST-STARTED')\\n" >\(dir)/app/server.js
            printf "const b = require('b')\\nfunction later() {\\n  return require('a')\\n}\\nconsole.log('IMAGEAUDIT-TEST-STARTED')\\n" >\(dir)/app/later.js
            """
        let made = try Subprocess.run("/bin/sh", ["-c", script])
        try #require(made.status == 0, "\(made.stderr)")
        let tree = HostFileTree.build(root: dir, requirements: Auditor.requirements)
        for entry in ["server.js", "later.js"] {
            let real = try Subprocess.run(
                "/usr/bin/env", ["-i", "/usr/sbin/chroot", dir, "/usr/bin/node", "/app/\(entry)"])
            let started = real.stdout.contains("IMAGEAUDIT-TEST-STARTED")
            let image = ImageUnderAudit(
                source: dir, names: [],
                config: ImageConfig(
                    architecture: "amd64", os: "linux",
                    config: RuntimeConfig(
                        env: ["PATH=/usr/bin"], cmd: ["/usr/bin/node", "/app/\(entry)"], workingDir: "/app")),
                tree: tree)
            let result = Auditor().audit(image)
            let errors = result.findings.filter { $0.severity == .error }
            #expect(errors.isEmpty == started, "\(entry): node \(started ? "started" : "failed"): \(real.stderr)")
            if let error = errors.first {
                #expect(error.code == .moduleWillNotLoad)
                #expect(real.stderr.contains("\n" + error.message + "\n"), "\(error.message) vs \(real.stderr)")
                #expect(error.path == "/app/node_modules/a/build/Release/a.node")
            }
            #expect(!result.findings.contains { $0.path.hasSuffix("/d.node") }, "d is never required at start")
        }
    }
}

@Suite struct NodeRequireScanTests {
    @Test("top-level require() and import/export … from, each once; indented, computed and other functions' calls not")
    func scan() {
        let text = """
            'use strict'
            const a = require('a'), b = require("@s/b/sub")
            import c from 'c'
            import { d } from "d"
            import 'e'
            export * from './f.js'
            const x = myrequire('no1'); obj.require('no2'); require(name)
            // require('no3')
            function later() {
              return require('no4')
            }
            const again = require('a')
            """
        #expect(NodeRequires.scan(text) == ["a", "@s/b/sub", "c", "d", "e", "./f.js"])
        #expect(NodeRequires.packageName("@s/b/sub") == "@s/b")
        #expect(NodeRequires.packageName("lodash/fp") == "lodash")
        #expect(
            NodeRequires.isBuiltin("node:fs") && NodeRequires.isBuiltin("fs/promises") && !NodeRequires.isBuiltin("fsx")
        )
    }
}
