#!/usr/bin/env python3
"""Helpers for scripts/oracle.sh (which documents the method). Subcommands:

  spec BUNDLE IMAGE_CONFIG WHAT
                               turn umoci's config.json into what `docker run` would hand runc:
                               no terminal, Docker's default PATH when the image has none,
                               Docker's default capabilities (effective only for uid 0, as
                               moby does), no TERM that the image did not set; argv is the
                               entrypoint's (WHAT=entrypoint) or the HEALTHCHECK's
                               (WHAT=healthcheck; prints null when there is none)
  userns ARCH QEMU -- CMD...   run CMD in a new user and mount namespace (identity-mapped ids)
                               with its own binfmt_misc instance (Linux >= 6.7) in which QEMU
                               runs ARCH binaries: a host of the image's own platform, without
                               touching the host's binfmt_misc
  classify ROOTFS OUTDIR       read what happened (stdout, stderr, runc log, exit status in
                               OUTDIR) and print `verdict<TAB>code<TAB>message`: the codes
                               come from oracle-codes.tsv (oracle_classify.py)
  classify-healthcheck OUTDIR  print `healthcheck<TAB>ok|healthcheck-broken<TAB>message`
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_classify  # noqa: E402
import oracle_elf  # noqa: E402
from oracle_classify import Run  # noqa: E402

DOCKER_DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# moby's default capability set (oci/caps/defaults.go).
DOCKER_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
               "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
               "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]


# --------------------------------------------------------------------------------------------
# spec

def healthcheck_args(image):
    """The argv Docker runs for a HEALTHCHECK, or None (no check, or NONE)."""
    test = (image.get("Healthcheck") or {}).get("Test") or []
    if test[:1] == ["CMD"]:
        return test[1:]
    if test[:1] == ["CMD-SHELL"]:
        return ["/bin/sh", "-c", test[1]]
    return None


def spec(bundle, image_config_path, what):
    with open(image_config_path) as f:
        image = json.load(f).get("config") or {}
    image_env = image.get("Env") or []
    path = os.path.join(bundle, "config.json")
    with open(path) as f:
        cfg = json.load(f)
    proc = cfg["process"]
    proc["terminal"] = False
    # argv = Entrypoint + Cmd, as Docker builds it. (umoci would put the runtime-spec
    # template's ["sh"] there when both are absent; Docker refuses to create the container.)
    if what == "healthcheck":
        proc["args"] = healthcheck_args(image)
        if proc["args"] is None:
            print("null")
            return
    else:
        proc["args"] = (image.get("Entrypoint") or []) + (image.get("Cmd") or [])
    env = [e for e in proc.get("env") or [] if not e.startswith("TERM=") or e in image_env]
    if not any(e.startswith("PATH=") for e in env):
        env.insert(0, DOCKER_DEFAULT_PATH)  # the daemon adds it when the image has none
    proc["env"] = env
    # moby's SetCapabilities: effective/permitted only for root; a non-root user gets none,
    # so an owner-only executable is refused to it as execve would.
    if proc.get("user", {}).get("uid", 0) == 0:
        proc["capabilities"] = {k: list(DOCKER_CAPS) for k in ("bounding", "effective", "permitted")}
    else:
        proc["capabilities"] = {"bounding": list(DOCKER_CAPS)}
    proc["noNewPrivileges"] = False
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    print(json.dumps(proc.get("args") or []))


# --------------------------------------------------------------------------------------------
# userns

QEMU_MAGIC = {
    # binfmt_misc magic and mask for aarch64 ELF (from qemu's scripts/qemu-binfmt-conf.sh).
    "arm64": (r"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00",
              r"\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff"),
}


def fail_setup(message):
    """The emulated host could not be set up: not an observation about the image."""
    print(f"oracle: {message}", file=sys.stderr)
    os._exit(125)


def userns(arch, qemu, cmd):
    libc = ctypes.CDLL(None, use_errno=True)
    clone_newuser, clone_newns = 0x10000000, 0x00020000
    ready_r, ready_w = os.pipe()
    mapped_r, mapped_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready_r)
        os.close(mapped_w)
        if libc.unshare(clone_newuser | clone_newns) != 0:
            fail_setup(f"unshare: {os.strerror(ctypes.get_errno())}")
        os.write(ready_w, b"x")
        os.read(mapped_r, 1)
        if libc.mount(b"none", b"/", None, 0x40000 | 0x4000, None) != 0:  # MS_PRIVATE|MS_REC
            fail_setup(f"mount --make-rprivate /: {os.strerror(ctypes.get_errno())}")
        binfmt = b"/proc/sys/fs/binfmt_misc"
        if libc.mount(b"binfmt_misc", binfmt, b"binfmt_misc", 0, None) != 0:
            fail_setup("this kernel has no per-user-namespace binfmt_misc (Linux >= 6.7): "
                       f"{os.strerror(ctypes.get_errno())}")
        magic, mask = QEMU_MAGIC[arch]
        # F: the kernel opens the interpreter now, so it need not exist inside the container.
        with open(binfmt + b"/register", "w") as f:
            f.write(f":qemu-{arch}:M::{magic}:{mask}:{qemu}:F")
        os.execvp(cmd[0], cmd)
    os.close(ready_w)
    os.close(mapped_r)
    os.read(ready_r, 1)
    # Not the full 0..2^32-1 range: runc then knows it is in a user namespace (and mounts /dev
    # nodes by bind mounts instead of mknod); ids inside equal ids outside.
    for name in ("uid_map", "gid_map"):
        with open(f"/proc/{pid}/{name}", "w") as f:
            f.write("0 0 4294967294\n")
    os.write(mapped_w, b"x")
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


# --------------------------------------------------------------------------------------------
# classify

def in_root(rootfs, fn):
    """Runs fn() chrooted into rootfs in a child process (paths resolve as in the container:
    absolute symlinks stay inside) and returns its JSON-able result."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.chroot(rootfs)
            os.chdir("/")
            out = json.dumps(fn())
        except Exception as e:  # noqa: BLE001 - reported to the parent
            out = json.dumps({"error": str(e)})
        os.write(w, out.encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.waitpid(pid, 0)
    return json.loads(data)


def describe(path):
    """What the kernel finds at `path` (called inside the chroot): missing, or the head of the
    file: ELF (machine, PT_INTERP), #! line, or other."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
            if head[:4] == b"\x7fELF":
                return {"kind": "elf", **elf_info(f, head), "elf": oracle_elf.facts(path)}
    except FileNotFoundError:
        return {"kind": "missing"}
    except IsADirectoryError:
        return {"kind": "dir"}
    except OSError as e:
        return {"kind": "error", "error": e.strerror}
    if head[:2] == b"#!":
        line = head[2:256].split(b"\n", 1)[0].lstrip(b" \t")
        interp = re.split(rb"[ \t]", line, maxsplit=1)[0]
        return {"kind": "script", "interp": interp.decode("utf-8", "backslashreplace")}
    return {"kind": "other"}


def elf_info(f, head):
    is64 = head[4] == 2
    little = head[5] == 1
    e = "<" if little else ">"
    machine = struct.unpack_from(e + "H", head, 18)[0]
    if is64:
        phoff, = struct.unpack_from(e + "Q", head, 32)
        phentsize, phnum = struct.unpack_from(e + "HH", head, 54)
    else:
        phoff, = struct.unpack_from(e + "I", head, 28)
        phentsize, phnum = struct.unpack_from(e + "HH", head, 42)
    interp = None
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        ph = f.read(phentsize)
        if len(ph) < (56 if is64 else 32):  # past the end, or a bad e_phentsize
            break
        if struct.unpack_from(e + "I", ph, 0)[0] != 3:  # PT_INTERP
            continue
        if is64:
            off, filesz = struct.unpack_from(e + "Q", ph, 8)[0], struct.unpack_from(e + "Q", ph, 32)[0]
        else:
            off, filesz = struct.unpack_from(e + "I", ph, 4)[0], struct.unpack_from(e + "I", ph, 16)[0]
        f.seek(off)
        interp = f.read(min(filesz, 4096)).split(b"\0", 1)[0].decode("utf-8", "backslashreplace")
    return {"machine": machine, "interp": interp}


def exec_chain(rootfs, path, cwd):
    """Follows what execve(path) does: script interpreters (at most 5 levels), then the ELF
    and its PT_INTERP. Returns the list of steps, each a describe() result with its path."""
    def walk():
        os.chdir(cwd if os.path.isdir(cwd) else "/")
        steps, p = [], path
        for _ in range(6):
            d = describe(p)
            d["path"] = p
            steps.append(d)
            if d["kind"] == "script":
                p = d["interp"]
                continue
            if d["kind"] == "elf" and d.get("interp"):
                steps.append({**describe(d["interp"]), "path": d["interp"], "role": "pt_interp"})
            break
        return steps
    return in_root(rootfs, walk)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "backslashreplace")
    except FileNotFoundError:
        return ""


def observed_run(outdir, healthcheck=False):
    """The files oracle.sh left in OUTDIR, as oracle_classify.Run."""
    run = Run(stdout=read(f"{outdir}/stdout"), stderr=read(f"{outdir}/stderr"),
              status=read(f"{outdir}/status").strip(), runc_log=read(f"{outdir}/runc.log"))
    if not healthcheck:
        run.unpack_error = read(f"{outdir}/unpack-error").strip()
        run.argv = json.loads(read(f"{outdir}/args") or "[]")
        run.arch = read(f"{outdir}/arch").strip()
    return run


def classify_healthcheck(outdir):
    result, message = oracle_classify.classify_healthcheck(observed_run(outdir, healthcheck=True))
    print(f"healthcheck\t{result}\t{message}")


def classify(rootfs, outdir):
    cwd = read(f"{outdir}/cwd").strip() or "/"
    verdict, code, message = oracle_classify.classify(observed_run(outdir), lambda path: exec_chain(rootfs, path, cwd))
    print(f"{verdict}\t{code}\t{message}")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "spec":
        spec(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "classify-healthcheck":
        classify_healthcheck(sys.argv[2])
    elif cmd == "userns":
        arch, qemu, sep, *rest = sys.argv[2:]
        assert sep == "--" and rest
        userns(arch, qemu, rest)
    elif cmd == "classify":
        classify(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
