"""What every family of TestImages shares: paths into the work directory, the config and
/etc/passwd writers, the base layers (Debian, distroless, Alpine-like, busybox, musl), the
ld.so.cache of a layer stack, and the `image` decorator with the registry it fills.

A family module (images_<family>.py) imports what it needs from here and defines its images
with @image(...); testimages.py imports every family listed in its FAMILIES.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imagelayer import Layer  # noqa: E402

MARK = "IMAGEAUDIT-TEST-STARTED"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MULTIARCH = "x86_64-linux-gnu"

WORK = ""  # the --work directory, set by testimages.main()


def pkg(name: str) -> str:
    """An unpacked Debian package: "bookworm-amd64-libc6"."""
    return os.path.join(WORK, "pkgs", name)


def binary(name: str) -> str:
    return os.path.join(WORK, "bin", name)


def config(entrypoint=None, cmd=None, env=(DEFAULT_PATH,), workdir=None, user=None,
           healthcheck=None, explicit_nulls=False):
    """The config's "config" object, keys in the order Docker writes them. Docker writes
    null for an absent Entrypoint/Cmd; buildkit leaves the key out (explicit_nulls)."""
    c = {}
    if user is not None:
        c["User"] = user
    if env:
        c["Env"] = list(env)
    if cmd is not None or explicit_nulls:
        c["Cmd"] = cmd
    if healthcheck is not None:
        kind, command = healthcheck
        test = [kind, command] if kind == "CMD-SHELL" else [kind, *command]
        c["Healthcheck"] = {"Test": test, "Interval": 30000000000, "Timeout": 3000000000,
                            "Retries": 3}
    if workdir is not None:
        c["WorkingDir"] = workdir
    if entrypoint is not None or explicit_nulls:
        c["Entrypoint"] = entrypoint
    return c


def passwd(*extra):
    return "".join(["root:x:0:0:root:/root:/bin/sh\n",
                    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n", *extra])


def group(*extra):
    return "".join(["root:x:0:\n", "nogroup:x:65534:\n", *extra])


# ---------------------------------------------------------------------------------------------
# Base layers (each call makes a fresh Layer: the same bytes in every image that uses it)

def debian_skeleton(compression, release="12", usrmerge=True, distroless=False, users=()):
    """The directory skeleton and /etc of a Debian-based image. usrmerge: /bin, /sbin, /lib,
    /lib64 are symlinks into /usr (debian:bookworm); else real directories (distroless)."""
    name = "distroless" if distroless else "debian"
    l = Layer(f"{name} {release} skeleton", compression)
    for d in ("usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "usr/local/bin", "etc", "var/lib/dpkg",
              "home", "opt"):
        l.dir(d)
    l.dir("tmp", 0o1777).dir("root", 0o700)
    if usrmerge:
        for d in ("bin", "sbin", "lib", "lib64"):
            l.symlink(d, f"usr/{d}")
    else:
        for d in ("bin", "sbin", "lib", "lib64"):
            l.dir(d)
    codename = {"11": "bullseye", "12": "bookworm"}[release]
    if distroless:
        l.file("etc/os-release", f'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\n'
                                 f'VERSION_ID="{release}"\nVERSION="Debian GNU/Linux {release} ({codename})"\n'
                                 'HOME_URL="https://github.com/GoogleContainerTools/distroless"\n')
        l.dir("var/lib/dpkg/status.d")
        l.file("etc/passwd", passwd("nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", *users))
        l.file("etc/group", group("nonroot:x:65532:\n"))
        l.dir("home/nonroot", 0o700, 65532, 65532)
    else:
        l.file("etc/os-release", f'PRETTY_NAME="Debian GNU/Linux {release} ({codename})"\n'
                                 f'NAME="Debian GNU/Linux"\nVERSION_ID="{release}"\n'
                                 f'VERSION="{release} ({codename})"\nVERSION_CODENAME={codename}\nID=debian\n')
        l.file("etc/passwd", passwd(*users))
        l.file("etc/group", group())
    l.file("etc/debian_version", {"11": "11.11\n", "12": "12.11\n"}[release])
    l.file("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n\n")
    l.file("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n")
    return l


def dpkg_status(package_dir):
    """A dpkg status stanza from a package's control file."""
    with open(package_dir + ".control/control") as f:
        control = f.read().strip()
    return control.replace("\nMaintainer:", "\nStatus: install ok installed\nMaintainer:", 1) + "\n\n"


def glibc_layer(compression, suite="bookworm", usrmerge=True, distroless=False):
    """libc6 from Debian, only the loader and the libraries the test programs use. With usrmerge
    the files go to /usr/lib/... and /usr/lib64 (reached through the skeleton's /lib -> usr/lib
    and /lib64 -> usr/lib64), as in debian:bookworm; the deb's own
    /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/... symlink is kept as it is."""
    src = pkg(f"{suite}-amd64-libc6")
    usr = "usr/" if usrmerge else ""
    l = Layer(f"libc6 ({suite})", compression)
    libs = sorted(n for n in os.listdir(f"{src}/lib/{MULTIARCH}")
                  if n.startswith(("ld-", "libc.", "libc-", "libpthread", "libdl")))
    l.tree(f"{src}/lib/{MULTIARCH}", f"/{usr}lib/{MULTIARCH}", only=libs)
    l.tree(f"{src}/lib64", f"/{usr}lib64", only=["ld-linux-x86-64.so.2"])
    l.tree(f"{src}/etc/ld.so.conf.d", "/etc/ld.so.conf.d")
    if distroless:
        l.file("var/lib/dpkg/status.d/libc6", dpkg_status(src))
    else:
        l.file("var/lib/dpkg/status", dpkg_status(src))
    return l


def dash_layer(compression):
    """dash as /bin/sh and coreutils' env, from Debian (glibc programs)."""
    l = Layer("dash, env", compression)
    l.copy("usr/bin/dash", f"{pkg('bookworm-amd64-dash')}/bin/dash")
    l.symlink("usr/bin/sh", "dash")
    l.copy("usr/bin/env", f"{pkg('bookworm-amd64-coreutils')}/usr/bin/env")
    return l


def musl_loader_layer(compression, comment="musl"):
    """musl as Alpine installs it: the loader is libc itself, /lib/ld-musl-x86_64.so.1."""
    l = Layer(comment, compression)
    l.copy("lib/ld-musl-x86_64.so.1", f"{pkg('bookworm-amd64-musl')}/lib/x86_64-linux-musl/libc.so")
    l.symlink("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
    return l


def alpine_base(compression):
    """Alpine-like: musl loader, busybox as /bin/sh and /usr/bin/env, /etc/alpine-release.
    (Alpine's busybox is linked against musl; Debian's busybox-static is static: same shape.)"""
    l = musl_loader_layer(compression, "alpine-like base: musl, busybox")
    l.copy("bin/busybox", f"{pkg('bookworm-amd64-busybox-static')}/bin/busybox")
    for applet in ("sh", "echo", "cat", "ls", "ash"):
        l.symlink(f"bin/{applet}", "/bin/busybox")
    l.symlink("usr/bin/env", "/bin/busybox")
    l.dir("usr/local/bin").dir("tmp", 0o1777).dir("root", 0o700).dir("home")
    l.file("etc/alpine-release", "3.19.1\n")
    l.file("etc/os-release", 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n'
                             'PRETTY_NAME="Alpine Linux v3.19"\n')
    l.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n")
    l.file("etc/group", "root:x:0:root\nnobody:x:65534:\n")
    l.file("lib/apk/db/installed", "P:musl\nV:1.2.4_git20230717-r4\n\nP:busybox\nV:1.36.1-r15\n\n")
    return l


def busybox_base(compression, arch="amd64"):
    """busybox:latest-like: static busybox, applets as hard links in /bin, no libc at all."""
    l = Layer(f"busybox ({arch})", compression)
    l.copy("bin/busybox", f"{pkg(f'bookworm-{arch}-busybox-static')}/bin/busybox")
    for applet in ("sh", "echo", "env", "ls"):
        l.hardlink(f"bin/{applet}", "bin/busybox")
    l.hardlink("usr/bin/env", "bin/busybox")
    l.dir("tmp", 0o1777).dir("root", 0o700)
    l.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
    l.file("etc/group", "root:x:0:\nnobody:x:65534:\n")
    return l


def scratch_musl_base(compression, debian_layout=False):
    """FROM scratch plus the musl loader copied in (COPY --from=alpine /lib/ld-musl...): the
    usual base of a musl-built program that is not static. With debian_layout the loader is
    Debian's symlink /lib/ld-musl-x86_64.so.1 -> x86_64-linux-musl/libc.so."""
    if not debian_layout:
        return musl_loader_layer(compression, "musl loader")
    l = Layer("musl (Debian layout)", compression)
    l.tree(pkg("bookworm-amd64-musl"), "/", only=["lib/ld-musl-x86_64.so.1", "lib/x86_64-linux-musl",
                                                  "lib/x86_64-linux-musl/libc.so"])
    return l


def app(comment, compression="gzip", prefix=""):
    return Layer(comment, compression, prefix)


# ---------------------------------------------------------------------------------------------
# Materializing a stack of layers on disk, to run ldconfig over it

def materialize(layers, root):
    for layer in layers:
        for path in sorted(layer.entries, key=lambda p: p.encode()):
            e = layer.entries[path]
            parent, _, name = path.rpartition("/")
            full = os.path.join(root, path)
            if name == ".wh..wh..opq":
                for child in os.listdir(os.path.join(root, parent)):
                    _remove(os.path.join(root, parent, child))
                continue
            if name.startswith(".wh."):
                _remove(os.path.join(root, parent, name[4:]))
                continue
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if e.kind == "dir":
                if not os.path.isdir(full) or os.path.islink(full):
                    _remove(full)
                    os.mkdir(full)
                continue
            _remove(full)
            if e.kind == "file":
                with open(full, "wb") as f:
                    f.write(e.data)
                os.chmod(full, e.mode)
            elif e.kind == "symlink":
                os.symlink(e.target, full)
            elif e.kind == "hardlink":
                os.link(os.path.join(root, e.target), full)


def _remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def ld_so_cache(layers) -> bytes:
    """/etc/ld.so.cache as `ldconfig` run in the image would write it."""
    with tempfile.TemporaryDirectory() as root:
        materialize(layers, root)
        subprocess.run(["ldconfig", "-X", "-r", root], check=True)
        with open(os.path.join(root, "etc/ld.so.cache"), "rb") as f:
            return f.read()


def with_cache(layers, target):
    """Adds the ld.so.cache of the stack `layers` to `target` (the last of them)."""
    target.file("etc/ld.so.cache", ld_so_cache(layers))
    return layers


def glibc_stack(compression="zstd", suite="bookworm", usrmerge=True, distroless=False, users=()):
    release = {"bookworm": "12", "bullseye": "11"}[suite]
    skel = debian_skeleton(compression, release, usrmerge, distroless, users)
    libc = glibc_layer(compression, suite, usrmerge, distroless)
    return with_cache([skel, libc], libc)


# ---------------------------------------------------------------------------------------------
# The registry

IMAGES = []


def image(name, fmt, intent, what, arch="amd64"):
    """Registers a builder that returns (layers, config). fmt: docker, docker25, kaniko or oci;
    intent is "pass" or "fail:<code>" (documentation only: expected.tsv holds the oracle's)."""
    def register(fn):
        assert all(im["name"] != name for im in IMAGES), f"duplicate image name {name}"
        IMAGES.append(dict(name=name, fmt=fmt, intent=intent, what=what, arch=arch, build=fn))
        return fn
    return register
