#!/usr/bin/env python3
"""Unit test of the oracle's classifier (oracle_classify.py) with the real messages in
TestImages/expected.tsv: what runc, the kernel, glibc's and musl's loaders and env printed when
scripts/check-oracle.sh started each image. Every row must come out with its recorded verdict,
code and message. Run by scripts/test.sh; needs only python3 (no root, no containers).

The rootfs probe (a chroot, root only) is replaced by the exec chains the images were built with
(scripts/lib/images_*.py), for the rows whose message is execve's own `exec PATH: ERRNO`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle_classify  # noqa: E402
from oracle_classify import MARK, Run  # noqa: E402

EXPECTED = os.path.join(HERE, "..", "..", "TestImages", "expected.tsv")

GLIBC_LOADER, MUSL_LOADER = "/lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1"


def elf(path, interp=None, machine=62, e_type=2, cut=False, text_nobits=False):
    """An ELF step, with the facts oracle_elf.facts reads from the file (64-bit)."""
    facts = {"type": e_type, "machine": machine, "class": 2, "interp": interp is not None, "cut": cut,
             "text_nobits": text_nobits, "phdrs_refused": False}
    return {"kind": "elf", "path": path, "machine": machine, "interp": interp, "elf": facts}


def script(path, interp):
    return {"kind": "script", "path": path, "interp": interp}


def missing(path, role=None):
    return {"kind": "missing", "path": path, **({"role": role} if role else {})}


# What the exec chain of each such image holds (its definition in scripts/lib/images_*.py).
CHAINS = {
    "alpine-go-cgo": [elf("/usr/local/bin/server", GLIBC_LOADER), missing(GLIBC_LOADER, "pt_interp")],
    "glibc-in-scratch": [elf("/server", GLIBC_LOADER), missing(GLIBC_LOADER, "pt_interp")],
    "layout-buildx-attestations": [elf("/hello", GLIBC_LOADER), missing(GLIBC_LOADER, "pt_interp")],
    "musl-loader-dangling": [elf("/usr/local/bin/hello", MUSL_LOADER), missing(MUSL_LOADER, "pt_interp")],
    "nested-shebang-missing": [script("/entry.sh", "/usr/local/bin/wrapper"),
                               script("/usr/local/bin/wrapper", "/bin/bash"), missing("/bin/bash")],
    "shebang-crlf": [script("/entrypoint.sh", "/bin/sh\r"), missing("/bin/sh\r")],
    "shebang-missing-bash": [script("/docker-entrypoint.sh", "/bin/bash"), missing("/bin/bash")],
    "script-without-shebang": [{"kind": "other", "path": "/entrypoint.sh"}],
    "wrong-arch-amd64-config": [elf("/bin/busybox", machine=183)],
    # images_elfkernel.py: ELF files of the image's own machine the kernel refuses
    "entrypoint-shared-library": [elf("/usr/lib/x86_64-linux-gnu/libz.so.1", e_type=3)],
    "entrypoint-debug-file": [elf("/app/hello", text_nobits=True)],
    "entrypoint-debug-file-dynamic": [elf("/app/hello", "", e_type=3, text_nobits=True)],
    "entrypoint-truncated": [elf("/app/hello", cut=True)],
    "entrypoint-truncated-interp": [elf("/app/hello", "/lib", e_type=3, cut=True), missing("/lib", "pt_interp")],
    "elf-interp-empty": [elf("/app/hello", "", e_type=3)],
    "elf-phnum-too-big": [elf("/app/hello")],
}


def expected_rows():
    with open(EXPECTED, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, verdict, code, message, hc, hc_message = line.rstrip("\n").split("\t")
            yield name, verdict, code, message, hc, hc_message


def run_for(name, verdict, code, message):
    """The Run that printed `message` (on stderr, or umoci's error for a User failure)."""
    if verdict == "pass":
        return Run(stdout=f"{MARK}\n", status=message.rsplit(" ", 1)[-1], argv=["/x"])
    if code == "unknown-user":
        return Run(unpack_error=message)
    argv = [CHAINS[name][0]["path"]] if name in CHAINS else ["/x"]
    if message.startswith("no output; "):  # killed by a signal: nothing on stderr
        return Run(status=message.rsplit(" ", 1)[-1].rstrip(")"), argv=argv, arch="amd64")
    return Run(stderr=f"{message}\n", status="1" if code != "no-entrypoint" else "",
               argv=[] if code == "no-entrypoint" else argv, arch="amd64")


class ExpectedTSVTests(unittest.TestCase):
    codes = oracle_classify.load_codes()

    def probe_for(self, name):
        def probe(path):
            self.assertIn(name, CHAINS, f"{name}: the classifier probed {path}; add its exec chain")
            self.assertEqual(CHAINS[name][0]["path"], path)
            return CHAINS[name]
        return probe

    def test_every_row(self):
        rows = list(expected_rows())
        self.assertGreater(len(rows), 40)
        for name, verdict, code, message, _, _ in rows:
            with self.subTest(image=name):
                got = oracle_classify.classify(run_for(name, verdict, code, message), self.probe_for(name), self.codes)
                self.assertEqual(got, ("started" if verdict == "pass" else "failed", code, message))

    def test_every_healthcheck(self):
        checked = 0
        for name, _, _, _, hc, hc_message in expected_rows():
            if hc == "-":
                continue
            with self.subTest(image=name):
                if hc == "ok":
                    run = Run(stdout=f"{MARK}\n", status="0")
                else:
                    said, _, status = hc_message.rpartition(" (exit status ")
                    run = Run(stderr=f"{said}\n", status=status.rstrip(")"))
                self.assertEqual(oracle_classify.classify_healthcheck(run, self.codes), (hc, hc_message))
                checked += 1
        self.assertGreater(checked, 1)

    def test_every_expected_code_is_in_the_table(self):
        table = {code for rows in self.codes.values() for _, code in rows}
        for name, verdict, code, *_ in expected_rows():
            if verdict == "fail":
                self.assertIn(code, table, name)


class ClassifierTests(unittest.TestCase):
    codes = oracle_classify.load_codes()

    def test_runc_log_when_stderr_is_empty(self):
        log = ('{"level":"info","msg":"starting"}\n'
               '{"level":"error","msg":"runc run failed: unable to start container process: '
               'exec: \\"/app/server\\": permission denied"}\n')
        got = oracle_classify.classify(Run(runc_log=log, status="1", argv=["/app/server"]), None, self.codes)
        self.assertEqual(got, ("failed", "not-executable", 'exec: "/app/server": permission denied'))

    def test_a_signal_without_output_is_named_from_the_elf_file(self):
        for status, chain, code in [
            ("139", [elf("/lib/libz.so.1", e_type=3)], "not-a-program"),
            ("135", [elf("/app/x", cut=True)], "truncated-binary"),
            ("139", [elf("/app/x")], "unknown"),  # a program that crashes by itself
        ]:
            got = oracle_classify.classify(Run(status=status, argv=[chain[0]["path"]], arch="amd64"),
                                           lambda path, chain=chain: chain, self.codes)
            self.assertEqual(got[1], code, chain)
            self.assertTrue(got[2].startswith("no output; killed by SIG"), got)

    def test_enoexec_of_a_native_elf_is_not_wrong_architecture(self):
        run = Run(stderr="exec /x: exec format error\n", argv=["/x"], arch="arm64")
        got = oracle_classify.classify(run, lambda path: [elf(path, machine=183)], self.codes)
        self.assertEqual(got[1], "exec-format-error")
        got = oracle_classify.classify(run, lambda path: [elf(path, machine=62)], self.codes)
        self.assertEqual(got[1], "wrong-architecture")

    def test_unmatched_message_is_unknown(self):
        got = oracle_classify.classify(Run(stderr="Segmentation fault\n", status="139", argv=["/x"]), None, self.codes)
        self.assertEqual(got, ("failed", "unknown", "Segmentation fault"))

    def test_enoent_of_a_file_that_is_all_there_is_unknown(self):
        probe = lambda path: [elf(path)]  # noqa: E731 - the ELF exists and has no PT_INTERP
        got = oracle_classify.classify(Run(stderr="exec /x: no such file or directory\n", argv=["/x"]), probe,
                                       self.codes)
        self.assertEqual(got[1], "unknown")

    def test_start_path_messages(self):
        # Each line as the real program printed it on this machine (dash 0.5.12, bash 5.2.15,
        # busybox 1.35, tini 0.19, Python 3.11, Perl 5.36, OpenJDK 17).
        seen = {
            "/bin/sh: 1: nothere: not found": "command-not-found",
            "/usr/local/bin/docker-entrypoint.sh: 7: exec: server: not found": "command-not-found",
            "bash: line 2: nothere: command not found": "command-not-found",
            "sh: nothere: not found": "command-not-found",
            "sh: exec: line 0: ./badint: not found": "command-not-found",
            "[FATAL tini (7502)] exec nothere failed: No such file or directory": "command-not-found",
            "/usr/bin/python3: can't open file '/app/main.py': [Errno 2] No such file or directory":
                "script-file-missing",
            'Can\'t open perl script "/app/x.pl": No such file or directory': "script-file-missing",
            "Error: Unable to access jarfile /app/app.jar": "script-file-missing",
            "sh: 0: cannot open /app/start.sh: No such file": "script-file-missing",
            "python3: No module named app.__main__; 'app' is a package and cannot be directly executed":
                "script-file-missing",
            "/usr/bin/python3: No module named nothere": "script-file-missing",
            'npm error Missing script: "serve"': "command-not-found",
        }
        for line, code in seen.items():
            got = oracle_classify.classify(Run(stderr=line + "\n", status="127", argv=["/bin/sh"]), None, self.codes)
            self.assertEqual(got, ("failed", code, line), line)

    def test_node_error_after_its_stack_header(self):
        # node 24's stderr for a missing main module (the stack lines left out).
        stderr = ("node:internal/modules/cjs/loader:1520\n  throw err;\n  ^\n\n"
                  "Error: Cannot find module '/app/server.js'\n    at Module._resolveFilename (x)\n")
        got = oracle_classify.classify(Run(stderr=stderr, status="1", argv=["node"]), None, self.codes)
        self.assertEqual(got, ("failed", "script-file-missing", "Error: Cannot find module '/app/server.js'"))

    def test_still_running_at_the_timeout_is_started(self):
        got = oracle_classify.classify(Run(status="124", argv=["/server"]), None, self.codes)
        self.assertEqual(got[0], "started")

    def test_a_malformed_table_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
            f.write("# comment\nmessage\tonly two fields\n")
        try:
            with self.assertRaises(ValueError):
                oracle_classify.load_codes(f.name)
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
