import ImageAuditCheck
import ImageAuditFS
import Testing

/// The static import scan and the interpreter's command line (pure; no interpreter needed).
@Suite struct PythonScanTests {
    @Test("top-level import lines, relative imports against the package, nothing indented")
    func scan() {
        let source = """
            import os, sys as system
            import numpy.linalg
            from psycopg2._psycopg import (
                connection, cursor)
            from . import _speedups
            from .core import multiarray  # a comment
            from .. import up
            try:
                import optional_thing
            except ImportError:
                pass
            def f():
                import lazy
            # import commented
            from x import *
            """
        let names = ModuleImports.scanForTests(source, package: "pkg.sub")
        #expect(
            names == [
                "os", "sys", "numpy.linalg", "psycopg2._psycopg", "psycopg2._psycopg.connection",
                "psycopg2._psycopg.cursor", "pkg.sub", "pkg.sub._speedups", "pkg.sub.core", "pkg.sub.core.multiarray",
                "pkg", "pkg.up", "x",
            ])
    }

    @Test(
        "the command line: FILE, -m, -c, bundled flags, -I, and what is not followed",
        arguments: [
            (["python3", "/app/main.py", "--port", "80"], "script:/app/main.py", 0),
            (["python3", "-u", "-m", "app.server"], "module:app.server", 0),
            (["python3", "-mapp"], "module:app", 0),
            (["python3", "-Esc", "import x"], "command", 3),
            (["python3", "-I", "x.py"], "script:x.py", 7),
            (["python3", "--", "x.py"], "script:x.py", 0),
            (["python3"], "nil", 0), (["python3", "-"], "nil", 0), (["python3", "--version"], "nil", 0),
            (["python3", "-X", "dev", "x.py"], "script:x.py", 0),
        ])
    func invocation(argv: [String], expected: String, flags: Int) {
        let parsed = PythonInvocation(argv: argv, path: "/usr/bin/python3")
        let shown: String =
            switch parsed?.start {
            case .script(let path)?: "script:" + path
            case .module(let name)?: "module:" + name
            case .command?: "command"
            case nil: "nil"
            }
        #expect(shown == expected)
        #expect((parsed?.flags.rawValue ?? 0) == flags)
    }

    @Test(
        "only Python interpreters by name",
        arguments: [
            ("/usr/bin/python3", true), ("/usr/local/bin/python3.11", true), ("/venv/bin/python", true),
            ("/usr/bin/python3-config", false), ("/usr/bin/python2.7", false), ("/usr/bin/node", false),
        ])
    func interpreterNames(path: String, isPython: Bool) {
        #expect(PythonInvocation.isPython(path) == isPython)
    }

    @Test(
        "tags of extension module files another interpreter would import",
        arguments: [
            ("m.cpython-311-x86_64-linux-musl.so", "cpython-311-x86_64-linux-musl"),
            (
                "m.cpython-310-x86_64-linux-gnu.so",
                "cpython-310-x86_64-linux-gnu"
            ), ("m.abi3.so", nil), ("libfoo-1a2b.so.1", nil), ("x.so", nil),
        ] as [(String, String?)])
    func foreignTags(name: String, tag: String?) {
        #expect(PythonSysPath.foreignTag(of: name) == tag)
    }
}
