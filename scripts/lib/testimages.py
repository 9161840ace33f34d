#!/usr/bin/env python3
"""The TestImages: what each image holds and which config it runs.

Called by scripts/make-test-images.sh after it has unpacked the Debian packages into
WORK/pkgs/<suite>-<arch>-<package>/ and compiled the programs into WORK/bin/. Every image is
written with imagetar.write_image; `intent` is what the image was made to show. It is only
documentation: TestImages/expected.tsv holds what the oracle (scripts/oracle.sh) observed.

  testimages.py --work DIR --out DIR      build every image (removes stale *.tar in --out)
  testimages.py --list                    name, format, arch, intent, what (tab-separated)
  testimages.py --readme README           rewrite README's table (between its markers) from
                                          these definitions, the tarballs and expected.tsv
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imagetar import Layer, write_image  # noqa: E402

# Family modules (images_*.py) import this one by name: run as a script, it is that module.
sys.modules.setdefault("testimages", sys.modules[__name__])

MARK = "IMAGEAUDIT-TEST-STARTED"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
MULTIARCH = "x86_64-linux-gnu"

WORK = ""  # set by main()


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
# The images

IMAGES = []


def image(name, fmt, intent, what, arch="amd64"):
    """Registers a builder: intent is "pass" or "fail:<code>" (documentation only)."""
    def register(fn):
        IMAGES.append(dict(name=name, fmt=fmt, intent=intent, what=what, arch=arch, build=fn))
        return fn
    return register


# --- passing images ---------------------------------------------------------------------------

@image("debian-slim-shell-form", "oci", "pass",
       "Debian-slim-like (usrmerge, dash): shell-form CMD through /bin/sh, the glibc loader "
       "reached through /lib64 -> usr/lib64 (layer 1) and an absolute symlink into /lib -> usr/lib "
       "(layer 2); HEALTHCHECK CMD-SHELL")
def _():
    layers = glibc_stack("zstd")
    layers.append(dash_layer("gzip"))
    layers.append(app("COPY hello /usr/local/bin/hello").copy("usr/local/bin/hello", binary("hello-glibc")))
    return layers, config(cmd=["/bin/sh", "-c", "hello"], healthcheck=("CMD-SHELL", "hello"))


@image("distroless-ldcache-fresh", "oci", "pass",
       "distroless/base-like (glibc, no shell, /var/lib/dpkg/status.d, not usrmerged), USER "
       "nonroot by name; libfoo in /opt/app/lib, listed in /etc/ld.so.conf.d/app.conf, and "
       "ldconfig was run: glibc finds it through /etc/ld.so.cache")
def _():
    layers = glibc_stack("zstd", usrmerge=False, distroless=True)
    top = (app("COPY app; RUN ldconfig", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-glibc"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1"))
           .file("etc/ld.so.conf.d/app.conf", "/opt/app/lib\n"))
    return with_cache(layers + [top], top), \
        config(entrypoint=["/opt/app/bin/app"], user="nonroot", workdir="/home/nonroot")


@image("distroless-go-cgo", "oci", "pass",
       "Go binary built with cgo (os/user -> glibc) on a distroless/base-like image: the "
       "glibc loader is there, so it starts; its HEALTHCHECK CMD-SHELL needs the /bin/sh that "
       "distroless lacks")
def _():
    layers = glibc_stack("zstd", usrmerge=False, distroless=True)
    layers.append(app("COPY server /server", "gzip").copy("server", binary("gohello-cgo")))
    return layers, config(entrypoint=["/server"], user="65532:65532",
                          healthcheck=("CMD-SHELL", "/server"))


@image("alpine-musl-app", "oci", "pass",
       "Alpine-like (busybox, musl loader, /etc/alpine-release): a musl-linked program, USER app "
       "added to /etc/passwd in a later layer, HEALTHCHECK CMD (exec form)")
def _():
    base = alpine_base("zstd")
    top = (app("RUN adduser app; COPY hello", "gzip")
           .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"
                               "app:x:1000:1000:Linux User,,,:/home/app:/bin/sh\n")
           .file("etc/group", "root:x:0:root\nnobody:x:65534:\napp:x:1000:app\n")
           .dir("home/app", 0o755, 1000, 1000)
           .copy("usr/local/bin/hello", binary("hello-musl")))
    return [base, top], config(entrypoint=["/usr/local/bin/hello"], user="app", workdir="/home/app",
                               healthcheck=("CMD", ["/usr/local/bin/hello"]))


@image("scratch-static", "docker", "pass", "FROM scratch with one static (musl) binary")
def _():
    return [app("COPY hello /hello").copy("hello", binary("hello-static"))], \
        config(entrypoint=["/hello"], env=())


@image("scratch-go-static", "oci", "pass",
       "Go binary built with CGO_ENABLED=0 (static) in scratch; HEALTHCHECK runs a curl that "
       "scratch does not have")
def _():
    return [app("COPY server /server", "zstd").copy("server", binary("gohello-static"))], \
        config(entrypoint=["/server"], env=(),
               healthcheck=("CMD", ["/usr/bin/curl", "-fsS", "http://localhost:8080/healthz"]))


@image("path-lookup-bare-name", "docker", "pass",
       "ENTRYPOINT [\"hello\"]: a bare name found through the config's PATH")
def _():
    l = app("COPY hello /opt/tools/bin/hello").copy("opt/tools/bin/hello", binary("hello-static"))
    return [l], config(entrypoint=["hello"], env=("PATH=/opt/tools/bin:/usr/bin:/bin",))


@image("relative-entrypoint-workdir", "docker25", "pass",
       "ENTRYPOINT [\"./server\"] resolved against WORKDIR /srv; layer entries ./-prefixed")
def _():
    l = app("WORKDIR /srv; COPY server", "plain", prefix="./").copy("srv/server", binary("hello-static"))
    return [l], config(entrypoint=["./server"], workdir="/srv")


@image("workdir-missing-created", "oci", "pass",
       "WORKDIR /data that no layer holds: the runtime creates it, not an error")
def _():
    l = app("COPY hello", "plain").copy("usr/local/bin/hello", binary("hello-static"))
    return [l], config(entrypoint=["/usr/local/bin/hello"], workdir="/data")


@image("numeric-user-no-passwd", "oci", "pass",
       "USER 1234:1234 with no /etc/passwd at all: numeric ids always work")
def _():
    l = app("COPY hello", "gzip").copy("hello", binary("hello-static"))
    return [l], config(entrypoint=["/hello"], user="1234:1234", env=())


@image("nested-shebang", "oci", "pass",
       "a script whose interpreter is a script whose interpreter is a static ELF (the kernel "
       "allows nesting)")
def _():
    l = (app("COPY wrapper entry", "plain")
         .copy("bin/hello", binary("hello-static"))
         .file("usr/local/bin/wrapper", "#!/bin/hello\n", 0o755)
         .file("entry.sh", "#!/usr/local/bin/wrapper\nexit 0\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])


@image("shebang-interpreter-arg", "docker", "pass",
       "#!/bin/hello --verbose: the interpreter path ends at the first space, the rest is one "
       "argument")
def _():
    l = (app("COPY hello entry.sh")
         .copy("bin/hello", binary("hello-static"))
         .file("entry.sh", "#!/bin/hello --verbose\nexit 0\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])


@image("entrypoint-symlink-chain", "oci", "pass",
       "/usr/local/bin/server -> ../../../../../opt/app/current/server (.. clamped at /), "
       "/opt/app/current -> /opt/app/v2 (absolute, re-rooted) in another layer")
def _():
    l1 = app("COPY server /opt/app/v2/", "gzip").copy("opt/app/v2/server", binary("hello-static"))
    l2 = (app("ln -s", "plain")
          .symlink("opt/app/current", "/opt/app/v2")
          .symlink("usr/local/bin/server", "../../../../../opt/app/current/server"))
    return [l1, l2], config(entrypoint=["/usr/local/bin/server"])


@image("musl-path-file", "oci", "pass",
       "musl program needing libfoo in /opt/app/lib, found through /etc/ld-musl-x86_64.path")
def _():
    top = (app("COPY app; path file", "zstd")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-musl.so.1"))
           .file("etc/ld-musl-x86_64.path", "/lib\n/usr/local/lib\n/usr/lib\n/opt/app/lib\n"))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-runpath-inherited", "oci", "pass",
       "musl program with RUNPATH $ORIGIN/../lib finds libfoo in /opt/app/lib; libfoo needs libbar "
       "(also there): musl searches the executable's RUNPATH for libfoo's dependency too")
def _():
    top = (app("COPY app", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-musl-runpath-origin-bar"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-needsbar-musl.so.1"))
           .copy("opt/app/lib/libbar.so.1", binary("libbar-musl.so.1")))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/opt/app/bin/app"])


@image("musl-ld-library-path", "kaniko", "pass",
       "musl program, libfoo in /opt/app/lib, LD_LIBRARY_PATH=/opt/app/lib in the config's Env")
def _():
    top = (app("COPY app")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-musl.so.1")))
    return [scratch_musl_base("gzip"), top], \
        config(entrypoint=["app"], env=(DEFAULT_PATH, "LD_LIBRARY_PATH=/opt/app/lib"))


@image("arm64-busybox", "oci", "pass",
       "linux/arm64 image (config architecture arm64) of arm64 busybox: starts on its own "
       "platform", arch="arm64")
def _():
    return [busybox_base("zstd", "arm64")], config(cmd=["sh", "-c", f"echo {MARK}"])


# --- failing images ---------------------------------------------------------------------------

@image("no-entrypoint", "docker", "fail:no-entrypoint",
       "no ENTRYPOINT and no CMD (null in the config, as Docker writes them)")
def _():
    return [app("COPY hello").copy("hello", binary("hello-static"))], \
        config(explicit_nulls=True)


@image("entrypoint-missing", "oci", "fail:entrypoint-not-found",
       "ENTRYPOINT /app/server, but the file was copied to /app/srv")
def _():
    return [app("COPY srv /app/srv", "plain").copy("app/srv", binary("hello-static"))], \
        config(entrypoint=["/app/server"])


@image("path-lookup-not-found", "docker", "fail:entrypoint-not-found",
       "ENTRYPOINT [\"server\"]: the binary is in /usr/local/bin, which the config's PATH lacks")
def _():
    l = app("COPY server").copy("usr/local/bin/server", binary("hello-static"))
    return [l], config(entrypoint=["server"], env=("PATH=/usr/sbin:/usr/bin:/sbin:/bin",))


@image("relative-entrypoint-no-workdir", "oci", "fail:entrypoint-not-found",
       "ENTRYPOINT [\"./server\"] with no WORKDIR: resolved against /, but the file is /app/server")
def _():
    return [app("COPY server /app/", "gzip").copy("app/server", binary("hello-static"))], \
        config(entrypoint=["./server"])


@image("entrypoint-symlink-loop", "docker25", "fail:entrypoint-not-found",
       "/app/server -> /app/server.real -> /app/server: a symlink loop (ELOOP)")
def _():
    l = (app("ln -s", "plain")
         .symlink("app/server", "/app/server.real")
         .symlink("app/server.real", "server"))
    return [l], config(entrypoint=["/app/server"])


@image("shell-form-no-sh", "docker25", "fail:entrypoint-not-found",
       "shell-form CMD (/bin/sh -c ...) in a scratch image: there is no /bin/sh")
def _():
    return [app("COPY hello", "plain").copy("hello", binary("hello-static"))], \
        config(cmd=["/bin/sh", "-c", "/hello"], env=())


@image("entrypoint-whiteout", "oci", "fail:entrypoint-not-found",
       "/usr/local/bin/server -> /opt/server/server (layer 1); `RUN rm -rf /opt/server` "
       "(whiteout, layer 2) leaves the symlink dangling")
def _():
    l1 = (app("COPY server; ln -s", "gzip")
          .copy("opt/server/server", binary("hello-static"))
          .symlink("usr/local/bin/server", "/opt/server/server"))
    l2 = app("RUN rm -rf /opt/server", "gzip").whiteout("opt/server")
    return [l1, l2], config(entrypoint=["/usr/local/bin/server"])


@image("entrypoint-opaque-dir", "oci", "fail:entrypoint-not-found",
       "/app/server in layer 1; layer 2 replaces /app (opaque directory) with only a config "
       "file")
def _():
    l1 = app("COPY server /app/", "zstd").copy("app/server", binary("hello-static"))
    l2 = app("RUN rm -rf /app && mkdir /app && echo > /app/config", "zstd") \
        .opaque("app").file("app/config.yaml", "port: 8080\n")
    return [l1, l2], config(entrypoint=["/app/server"])


@image("no-exec-bit", "docker", "fail:not-executable",
       "the entrypoint is a regular file with mode 0644")
def _():
    return [app("COPY server").copy("app/server", binary("hello-static"), mode=0o644)], \
        config(entrypoint=["/app/server"])


@image("exec-bit-owner-only", "oci", "fail:not-executable",
       "mode 0700 owned by root, USER 1000: the kernel refuses (EACCES)")
def _():
    l = app("COPY --chmod=0700 server", "gzip").copy("app/server", binary("hello-static"), mode=0o700)
    return [l], config(entrypoint=["/app/server"], user="1000:1000")


@image("entrypoint-is-directory", "docker25", "fail:not-executable",
       "ENTRYPOINT /app where /app is a directory")
def _():
    return [app("COPY server /app/", "plain").copy("app/server", binary("hello-static"))], \
        config(entrypoint=["/app"])


@image("script-without-shebang", "oci", "fail:exec-format-error",
       "an executable shell script with no #! line: the kernel says ENOEXEC and runc does not "
       "fall back to a shell")
def _():
    l = app("COPY entrypoint.sh", "plain").file("entrypoint.sh", f"echo {MARK}\n", 0o755)
    return [l], config(entrypoint=["/entrypoint.sh"])


@image("unknown-user", "kaniko", "fail:unknown-user",
       "USER appuser, which /etc/passwd does not have (the useradd was forgotten)")
def _():
    l = (app("COPY server", "gzip").copy("app/server", binary("hello-static"))
         .file("etc/passwd", passwd()).file("etc/group", group()))
    return [l], config(entrypoint=["/app/server"], user="appuser")


@image("unknown-group", "docker", "fail:unknown-user",
       "USER root:docker: the user exists, the group does not")
def _():
    l = (app("COPY server").copy("app/server", binary("hello-static"))
         .file("etc/passwd", passwd()).file("etc/group", group()))
    return [l], config(entrypoint=["/app/server"], user="root:docker")


@image("glibc-in-scratch", "docker25", "fail:missing-interpreter",
       "seed case: a glibc-linked program in FROM scratch: exec says `no such file or directory` "
       "for a file that is there (its loader /lib64/ld-linux-x86-64.so.2 is not)")
def _():
    return [app("COPY server /server", "plain").copy("server", binary("hello-glibc"))], \
        config(entrypoint=["/server"], env=())


@image("alpine-go-cgo", "oci", "fail:missing-interpreter",
       "seed case: a Go binary built with cgo (os/user; CGO_ENABLED=1) copied into an "
       "Alpine-like image: it needs the glibc loader, Alpine has musl's")
def _():
    top = app("COPY --from=build /out/server /usr/local/bin/server", "zstd") \
        .copy("usr/local/bin/server", binary("gohello-cgo"))
    return [alpine_base("zstd"), top], config(entrypoint=["/usr/local/bin/server"])


@image("musl-loader-dangling", "oci", "fail:missing-interpreter",
       "Debian-layout musl: /lib/ld-musl-x86_64.so.1 -> x86_64-linux-musl/libc.so, and a later "
       "layer deletes /lib/x86_64-linux-musl (whiteout): the loader symlink dangles")
def _():
    top = app("RUN rm -rf /lib/x86_64-linux-musl", "zstd").whiteout("lib/x86_64-linux-musl")
    hello = app("COPY hello", "zstd").copy("usr/local/bin/hello", binary("hello-musl"))
    return [scratch_musl_base("zstd", debian_layout=True), hello, top], \
        config(entrypoint=["/usr/local/bin/hello"])


@image("glibc-missing-library-whiteout", "oci", "fail:missing-library",
       "libfoo.so.1 installed in /usr/lib/x86_64-linux-gnu with ldconfig (layer 3), deleted by a "
       "whiteout in layer 4: the ld.so.cache still lists it")
def _():
    layers = glibc_stack("zstd")
    l3 = (app("COPY libfoo; RUN ldconfig", "zstd")
          .copy(f"usr/lib/{MULTIARCH}/libfoo.so.1", binary("libfoo-glibc.so.1"))
          .copy("usr/local/bin/app", binary("usefoo-glibc")))
    with_cache(layers + [l3], l3)
    l4 = app("RUN rm /usr/lib/x86_64-linux-gnu/libfoo.so.1", "zstd").whiteout(f"usr/lib/{MULTIARCH}/libfoo.so.1")
    return layers + [l3, l4], config(entrypoint=["/usr/local/bin/app"])


@image("glibc-ldcache-stale", "oci", "fail:missing-library",
       "libfoo in /opt/app/lib, listed in /etc/ld.so.conf.d/app.conf, but ldconfig was not run: "
       "glibc reads only the cache, never ld.so.conf")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app (no ldconfig)", "gzip")
           .copy("opt/app/bin/app", binary("usefoo-glibc"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1"))
           .file("etc/ld.so.conf.d/app.conf", "/opt/app/lib\n"))
    return layers + [top], config(entrypoint=["/opt/app/bin/app"])


@image("glibc-runpath-not-inherited", "oci", "fail:missing-library",
       "glibc program with RUNPATH $ORIGIN/../lib finds libfoo there; libfoo needs libbar (same "
       "directory) but DT_RUNPATH applies only to the object that has it")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app", "zstd")
           .copy("opt/app/bin/app", binary("usefoo-glibc-runpath-origin-bar"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-needsbar-glibc.so.1"))
           .copy("opt/app/lib/libbar.so.1", binary("libbar-glibc.so.1")))
    return layers + [top], config(entrypoint=["/opt/app/bin/app"])


@image("glibc-too-old", "oci", "fail:missing-symbol-version",
       "a program built on bookworm (needs GLIBC_2.34) on a distroless/base-debian11-like image "
       "(bullseye's glibc 2.31)")
def _():
    layers = glibc_stack("zstd", suite="bullseye", usrmerge=False, distroless=True)
    layers.append(app("COPY server", "zstd").copy("server", binary("hello-glibc")))
    return layers, config(entrypoint=["/server"], user="nonroot")


@image("glibc-bindnow-missing-symbol", "oci", "fail:missing-symbol",
       "built -z now against libfoo v2 (foo_v2), the image has libfoo v1 (in /opt/app/lib, found "
       "through LD_LIBRARY_PATH from the config's Env): glibc binds at start and stops with "
       "`undefined symbol: foo_v2`")
def _():
    layers = glibc_stack("zstd")
    top = (app("COPY app libfoo", "zstd")
           .copy("usr/local/bin/app", binary("usefoo2-glibc-now"))
           .copy("opt/app/lib/libfoo.so.1", binary("libfoo-glibc.so.1")))
    return layers + [top], config(entrypoint=["app"], env=(DEFAULT_PATH, "LD_LIBRARY_PATH=/opt/app/lib"))


@image("alpine-gcompat-relocating", "oci", "fail:missing-symbol",
       "glibc program (built with _FORTIFY_SOURCE) on Alpine-like with a libc6-compat-style "
       "/lib64/ld-linux-x86-64.so.2 -> musl loader: musl cannot bind __printf_chk")
def _():
    compat = app("apk add libc6-compat", "gzip").symlink("lib64/ld-linux-x86-64.so.2", "/lib/ld-musl-x86_64.so.1")
    top = app("COPY app", "gzip").copy("usr/local/bin/app", binary("fortify-glibc"))
    return [alpine_base("zstd"), compat, top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-missing-library", "oci", "fail:missing-library",
       "musl program that needs libfoo.so.1, which the image does not have")
def _():
    top = app("COPY app", "gzip").copy("usr/local/bin/app", binary("usefoo-musl"))
    return [scratch_musl_base("gzip"), top], config(entrypoint=["/usr/local/bin/app"])


@image("musl-path-file-replaces-default", "oci", "fail:missing-library",
       "libfoo in /usr/lib (a musl default directory), but /etc/ld-musl-x86_64.path lists only "
       "/opt/lib: the path file replaces the defaults")
def _():
    top = (app("COPY app libfoo; path file", "zstd")
           .copy("usr/local/bin/app", binary("usefoo-musl"))
           .copy("usr/lib/libfoo.so.1", binary("libfoo-musl.so.1"))
           .file("etc/ld-musl-x86_64.path", "/opt/lib\n"))
    return [scratch_musl_base("zstd"), top], config(entrypoint=["/usr/local/bin/app"])


@image("wrong-arch-amd64-config", "oci", "fail:wrong-architecture",
       "config says linux/amd64 but /bin/busybox is the arm64 build (a COPY from the wrong stage)")
def _():
    return [busybox_base("zstd", "arm64")], config(entrypoint=["/bin/busybox", "echo", MARK])


@image("shebang-missing-bash", "oci", "fail:missing-shebang-interpreter",
       "#!/bin/bash script on busybox (which has sh, not bash)")
def _():
    l = app("COPY entrypoint.sh", "gzip").file(
        "docker-entrypoint.sh", f"#!/bin/bash\nset -e\necho {MARK}\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/docker-entrypoint.sh"])


@image("shebang-crlf", "oci", "fail:missing-shebang-interpreter",
       "#!/bin/sh script saved with CRLF line endings: the kernel looks for \"/bin/sh\\r\"")
def _():
    l = app("COPY entrypoint.sh", "gzip").file(
        "entrypoint.sh", f"#!/bin/sh\r\necho {MARK}\r\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/entrypoint.sh"])


@image("shebang-env-python3", "oci", "fail:missing-shebang-interpreter",
       "#!/usr/bin/env python3 on busybox without python3: env starts, finds no python3 on "
       "PATH and exits 127")
def _():
    l = app("COPY main.py", "gzip").file(
        "app/main.py", f"#!/usr/bin/env python3\nprint('{MARK}')\n", 0o755)
    return [busybox_base("zstd"), l], config(entrypoint=["/app/main.py"], workdir="/app")


@image("nested-shebang-missing", "docker", "fail:missing-shebang-interpreter",
       "script -> wrapper script (#!/usr/local/bin/wrapper) whose own interpreter /bin/bash is "
       "missing")
def _():
    l = (app("COPY wrapper entry")
         .file("usr/local/bin/wrapper", "#!/bin/bash\nexec \"$@\"\n", 0o755)
         .file("entry.sh", f"#!/usr/local/bin/wrapper\necho {MARK}\n", 0o755))
    return [l], config(entrypoint=["/entry.sh"])


# ---------------------------------------------------------------------------------------------

def layer_summary(path, fmt):
    """How the tarball stores its layers, read back from the tarball itself."""
    with tarfile.open(path) as tf:
        def load(name):
            return json.load(tf.extractfile(name))
        if fmt in ("docker", "kaniko"):
            layers = load("manifest.json")[0]["Layers"]
            kinds = ["gzip" if n.endswith(".gz") else "plain" for n in layers]
        else:
            index = load("index.json")
            manifest = load("blobs/sha256/" + index["manifests"][0]["digest"].split(":")[1])
            kinds = [{"tar": "plain"}.get(d["mediaType"].rsplit(".", 1)[-1].split("+")[-1], d["mediaType"].split("+")[-1])
                     for d in manifest["layers"]]
    return ", ".join(kinds)


FORMAT_NAMES = {"docker": "docker save (Docker <= 24)", "docker25": "docker save (Docker >= 25, OCI layout)",
                "kaniko": "kaniko tarball", "oci": "OCI archive"}
BEGIN, END = "<!-- images:begin -->", "<!-- images:end -->"


def readme(path):
    """Rewrites the table between BEGIN and END in README `path`."""
    out_dir = os.path.dirname(os.path.abspath(path))
    expected = {}
    tsv = os.path.join(out_dir, "expected.tsv")
    if os.path.exists(tsv):
        with open(tsv) as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    name, verdict, code, message, hc, _ = (line.rstrip("\n").split("\t") + ["-", "-"])[:6]
                    expected[name] = (verdict, code, message, hc)
    rows = ["| image | what it shows | format (arch): layers | verdict | code | oracle message | healthcheck |",
            "|---|---|---|---|---|---|---|"]
    for im in IMAGES:
        tar = os.path.join(out_dir, im["name"] + ".tar")
        layers = layer_summary(tar, im["fmt"]) if os.path.exists(tar) else "(not built)"
        verdict, code, message, hc = expected.get(im["name"], ("?", "?", "(oracle not run)", "?"))
        intended = im["intent"] if im["intent"] == "pass" else im["intent"].split(":", 1)
        observed = verdict if verdict == "pass" else ["fail", code]
        note = "" if intended == observed or verdict == "?" else f" (made to show {im['intent']})"
        what = im["what"].replace("|", "\\|")
        rows.append(f"| `{im['name']}` | {what} | {FORMAT_NAMES[im['fmt']]} ({im['arch']}): {layers} "
                    f"| {verdict}{note} | `{code}` | `{message.replace('|', '/')}` | {hc} |")
    with open(path) as f:
        text = f.read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    with open(path, "w") as f:
        f.write(text[:start] + "\n" + "\n".join(rows) + "\n" + text[end:])


def main():
    global WORK
    ap = argparse.ArgumentParser()
    ap.add_argument("--work")
    ap.add_argument("--out")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--readme")
    ap.add_argument("--only", action="append", help="build only these images")
    args = ap.parse_args()
    import images_elfkernel  # noqa: F401,E402  (ELF files the kernel refuses)
    if args.list:
        for im in IMAGES:
            print("\t".join([im["name"], im["fmt"], im["arch"], im["intent"], im["what"]]))
        return
    if args.readme:
        readme(args.readme)
        return
    WORK = os.path.abspath(args.work)
    names = [im["name"] for im in IMAGES]
    assert len(names) == len(set(names)), "duplicate image names"
    for im in IMAGES:
        if args.only and im["name"] not in args.only:
            continue
        layers, cfg = im["build"]()
        out = os.path.join(args.out, im["name"] + ".tar")
        write_image(out, f"imageaudit-test/{im['name']}:latest", layers, cfg, fmt=im["fmt"],
                    arch=im["arch"], variant="v8" if im["arch"] == "arm64" else None)
        print(f"{im['name']}.tar\t{os.path.getsize(out)}", file=sys.stderr)
    if not args.only:
        for f in sorted(os.listdir(args.out)):
            if f.endswith(".tar") and f[:-4] not in names:
                print(f"removing stale {f}", file=sys.stderr)
                os.unlink(os.path.join(args.out, f))


if __name__ == "__main__":
    main()
