"""The oracle's classifier: what a container run showed -> verdict, finding code, message.

Pure (no I/O but reading oracle-codes.tsv): oracle_helper.py reads the run's output files and
probes the rootfs; test_oracle_classify.py feeds it the real messages of TestImages/expected.tsv.
The finding codes come only from oracle-codes.tsv, which a Swift test checks against FindingCode.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_elf  # noqa: E402

MARK = "IMAGEAUDIT-TEST-STARTED"
UNKNOWN = "unknown"  # not a finding code: the oracle could not name what it saw
CODES_TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle-codes.tsv")
SOURCES = ("unpack", "argv", "message", "execve", "signal", "healthcheck")

RUNC_PREFIXES = ("runc run failed: ", "runc create failed: ", "unable to start container process: ",
                 "error during container init: ")


@dataclass
class Run:
    """What one container run left behind."""

    stdout: str = ""
    stderr: str = ""
    status: str = ""           # the exit status, "" when there is none
    runc_log: str = ""         # runc's --log-format json file
    unpack_error: str = ""     # umoci unpack's error (User not resolved), "" when it worked
    argv: list = field(default_factory=list)
    arch: str = ""             # the image config's architecture (amd64, arm64 …)


def load_codes(path: str = CODES_TSV) -> dict[str, list[tuple[str, str]]]:
    """source -> [(pattern, code)] in file order."""
    table: dict[str, list[tuple[str, str]]] = {source: [] for source in SOURCES}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or fields[0] not in table:
                raise ValueError(f"{path}:{number}: not `source<TAB>pattern<TAB>code` with a known source")
            table[fields[0]].append((fields[1], fields[2]))
    return table


def named(codes, source: str, situation: str) -> str:
    """The code of a named situation (argv, execve, healthcheck rows)."""
    return next((code for name, code in codes[source] if name == situation), UNKNOWN)


def searched(codes, source: str, text: str):
    """The first (code, match) whose regex is found in text, or None."""
    for pattern, code in codes[source]:
        m = re.search(pattern, text)
        if m:
            return code, m
    return None


def one_line(message: str) -> str:
    return " ".join(message.replace("\t", " ").split())


def strip_runc_prefixes(msg: str) -> str:
    changed = True
    while changed:
        changed = False
        for p in RUNC_PREFIXES:
            if msg.startswith(p):
                msg, changed = msg[len(p):], True
    return msg


def runc_error(log_text: str) -> str:
    """The last error runc logged (its --log-format json file), without runc's prefixes."""
    msg = ""
    for line in log_text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") in ("error", "fatal"):
            msg = entry.get("msg", "")
    return strip_runc_prefixes(msg)


def first_error(run: Run) -> str:
    """The first line on stderr (the last of a Python traceback), else runc's logged error."""
    lines = [line.strip() for line in run.stderr.splitlines() if line.strip()]
    # A Python traceback says what happened on its last line (`ImportError: …`).
    if lines and lines[0] == "Traceback (most recent call last):":
        return lines[-1]
    # Node prints where it threw (`node:internal/modules/cjs/loader:N`, the source line, a caret)
    # before the error itself.
    if lines and lines[0].startswith("node:internal/"):
        thrown = next((line for line in lines if re.match(r"^[A-Za-z]*Error: ", line)), None)
        if thrown:
            return thrown
    return strip_runc_prefixes(lines[0]) if lines else runc_error(run.runc_log)


def execve_situation(errno_text: str, steps: list[dict], arch: str = "") -> str | None:
    """Names what the exec chain probe found (see oracle-codes.tsv, source execve)."""
    last = steps[-1]
    if errno_text == "no such file or directory":
        if last["kind"] == "missing" and last.get("role") == "pt_interp":
            return "enoent-pt-interp"
        if last["kind"] == "missing" and len(steps) > 1:
            return "enoent-script-interpreter"
        return None
    elf = next((s for s in steps if s["kind"] == "elf"), None)
    if elf is None:
        return "enoexec-not-elf" if errno_text == "exec format error" else None
    # Another machine, or an ELF file of the image's own the kernel refuses (oracle_elf).
    return oracle_elf.situation(elf.get("elf"), arch, errno_text) or None


def classify(run: Run, probe, codes=None) -> tuple[str, str, str]:
    """(verdict, code, message). probe(path) follows execve(path) in the rootfs and returns
    its steps (oracle_helper.exec_chain), or {"error": ...} when it could not."""
    codes = codes or load_codes()
    status = run.status or "?"
    if any(line.startswith(MARK) for line in run.stdout.splitlines()):
        return "started", "-", f"{MARK} printed; exit status {status}"
    # A server that is still running when the oracle's timeout stops it (timeout(1) exits 124)
    # has started, whatever shell or wrapper it came through, unless something failed first.
    if run.status == "124" and not run.unpack_error and not first_error(run):
        return "started", "-", "still running when the timeout stopped it"
    if run.unpack_error:
        found = searched(codes, "unpack", run.unpack_error)
        if found:
            return "failed", found[0], one_line(found[1].group(0))
        return "failed", UNKNOWN, one_line(run.unpack_error)
    message = first_error(run) or no_output(status)
    return ("failed", *_failure(run, message, probe, codes))


def no_output(status: str) -> str:
    """The message of a run that printed nothing: runc exits 128+N when a signal killed it."""
    if status.isdigit() and 128 < int(status) < 128 + signal.NSIG:
        return f"no output; killed by {signal.Signals(int(status) - 128).name} (exit status {status})"
    return f"no output; exit status {status}"


def _failure(run: Run, message: str, probe, codes) -> tuple[str, str]:
    """(code, one-line message) of a run that failed after the unpack."""
    if not run.argv:
        return named(codes, "argv", "empty"), one_line(message)
    found = searched(codes, "message", message)
    if found:
        return found[0], one_line(message)
    # execve's own errors, `exec PATH: strerror` (runc >= 1.1): which file of the chain the
    # kernel did not find or could not run is read from the rootfs.
    m = re.match(r"exec (.*): (no such file or directory|exec format error|input/output error)$", message)
    if m:
        steps = probe(m.group(1))
        if isinstance(steps, dict):  # the chroot probe failed
            return UNKNOWN, one_line(f"{message} (probe: {steps['error']})")
        situation = execve_situation(m.group(2), steps, run.arch)
        if situation:
            return named(codes, "execve", situation), one_line(message)
    # Killed before it printed anything: the ELF file itself says why (oracle_elf).
    if message.startswith("no output; killed by ") and "/" in run.argv[0]:
        steps = probe(run.argv[0])
        elf = None if isinstance(steps, dict) else next((s for s in steps if s["kind"] == "elf"), None)
        situation = oracle_elf.situation(elf.get("elf"), run.arch) if elf else None
        if situation:
            return named(codes, "signal", situation), one_line(message)
    return UNKNOWN, one_line(message)


def classify_healthcheck(run: Run, codes=None) -> tuple[str, str]:
    """("ok" or the code of a failed check, message)."""
    codes = codes or load_codes()
    if run.status == "0":
        marked = any(line.startswith(MARK) for line in run.stdout.splitlines())
        return "ok", f"{MARK} printed; exit status 0" if marked else "exit status 0"
    return named(codes, "healthcheck", "failed"), one_line(f"{first_error(run)} (exit status {run.status})")
