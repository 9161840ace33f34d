"""TestImages, natives family: Python extension modules from real wheels.

Debian bookworm's python3.11 (the binary and the three stdlib files it needs to start: os.py,
site.py, encodings) with a real manylinux wheel installed the way pip lays it out
(dist-packages, .dist-info, .libs). One image only: the interpreter is 2.6 MB compressed and
TestImages stays under 25 MB; the fixed and musllinux variants are checked against the real
interpreter in a chroot (Tests/ImageAuditCheckTests/ModuleLoadingLiveTests.swift).
"""

import os
import zipfile

import images_base
from images_base import MULTIARCH, app, config, glibc_stack, image, pkg, with_cache
from imagelayer import Layer

SITE = "usr/local/lib/python3.11/dist-packages"  # where Debian's pip installs as root


def wheel(platform: str, name: str) -> str:
    """A wheel make-test-images.sh downloaded (pip download, pinned) into WORK/wheels/PLATFORM."""
    directory = os.path.join(images_base.WORK, "wheels", platform)
    found = sorted(f for f in os.listdir(directory) if f.startswith(name + "-") and f.endswith(".whl"))
    assert found, f"no {name} wheel in {directory}"
    return os.path.join(directory, found[0])


def python_layer(compression):
    """python3.11 and what it loads at start: libm, libz, libexpat; os.py (the landmark),
    site.py (Debian's: dist-packages), encodings; an empty lib-dynload."""
    py = pkg("bookworm-amd64-python3.11-minimal")
    stdlib = pkg("bookworm-amd64-libpython3.11-minimal") + "/usr/lib/python3.11"
    l = Layer("python3.11-minimal (trimmed)", compression)
    l.copy("usr/bin/python3.11", f"{py}/usr/bin/python3.11")
    l.symlink("usr/bin/python3", "python3.11")
    l.tree(stdlib, "/usr/lib/python3.11", only=["os.py", "site.py", "encodings", "encodings/__init__.py",
                                                 "encodings/aliases.py", "encodings/utf_8.py"])
    l.dir("usr/lib/python3.11/lib-dynload")
    l.tree(f"{pkg('bookworm-amd64-libc6')}/lib/{MULTIARCH}", f"/usr/lib/{MULTIARCH}", only=["libm.so.6"])
    l.tree(f"{pkg('bookworm-amd64-zlib1g')}/lib/{MULTIARCH}", f"/usr/lib/{MULTIARCH}",
           only=["libz.so.1", "libz.so.1.2.13"])
    l.tree(f"{pkg('bookworm-amd64-libexpat1')}/lib/{MULTIARCH}", f"/usr/lib/{MULTIARCH}",
           only=["libexpat.so.1", "libexpat.so.1.8.10"])
    return l


def pip_install(layer, path, site=SITE):
    """Unpacks a wheel as pip does: every member under the site directory (extension modules
    and the .libs libraries executable, as pip keeps the wheel's modes), plus INSTALLER."""
    with zipfile.ZipFile(path) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            mode = (info.external_attr >> 16) & 0o777 or 0o644
            layer.file(f"{site}/{info.filename}", z.read(info), mode=mode)
            if info.filename.endswith(".dist-info/WHEEL"):
                layer.file(f"{site}/{os.path.dirname(info.filename)}/INSTALLER", "pip\n")
    return layer


MAIN = 'import ujson\n\nprint("IMAGEAUDIT-TEST-STARTED")\nprint(ujson.dumps({"ok": True}))\n'


@image("python-wheel-needs-libstdcxx", "oci", "fail:module-will-not-load",
       "Debian's python3.11 without libstdc++6 (as python3.11-minimal installs it) and the real "
       "ujson 5.10.0 manylinux2014 wheel: its extension module needs the system's libstdc++.so.6 "
       "(manylinux allows it), so `import ujson` raises ImportError")
def _():
    layers = glibc_stack("gzip")
    layers.append(python_layer("gzip"))
    top = pip_install(app("RUN pip install ujson==5.10.0; COPY main.py /app/", "gzip"),
                      wheel("manylinux2014_x86_64", "ujson"))
    top.file("app/main.py", MAIN)
    return with_cache(layers + [top], top), config(cmd=["python3", "/app/main.py"], workdir="/app")
