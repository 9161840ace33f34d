"""TestImages, natives2 family: Python extension modules reached through the start path.

The natives family's image started through `sh -c` (Debian's dash as /bin/sh): the shell runs
python3, whose `import ujson` needs libstdc++.so.6. Only one image: each carries the 2.6 MB
interpreter layer, and TestImages has ~7 MB left; the fixed variants are checked against the
real interpreter in a chroot (Tests/ImageAuditCheckTests/ModuleLoadingLiveTests.swift).
"""

from images_base import app, config, dash_layer, glibc_stack, image, with_cache
from images_natives import MAIN, pip_install, python_layer, wheel


@image("python-sh-c-needs-libstdcxx", "oci", "fail:module-will-not-load",
       "python-wheel-needs-libstdcxx started through the shell: CMD /bin/sh -c \"python3 /app/main.py\" "
       "with Debian's dash; the shell runs python3, whose `import ujson` (the real ujson 5.10.0 "
       "manylinux2014 wheel) raises ImportError: libstdc++.so.6 is not in the image")
def _():
    layers = glibc_stack("gzip") + [dash_layer("gzip"), python_layer("gzip")]
    top = pip_install(app("RUN pip install ujson==5.10.0; COPY main.py /app/", "gzip"),
                      wheel("manylinux2014_x86_64", "ujson"))
    top.file("app/main.py", MAIN)
    return with_cache(layers + [top], top), config(cmd=["/bin/sh", "-c", "python3 /app/main.py"], workdir="/app")
