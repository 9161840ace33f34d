"""TestImages, ELF capture family (issue 11 §1): programs rewritten by patchelf, which (like
auditwheel) moves the dynamic string, symbol and version tables into a new PT_LOAD at the end of
the file, where a reader that keeps only the first segments loses DT_NEEDED.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

import images_base as t

LONG_RPATH = "/opt/vendor/lib/a/run/path/too/long/to/fit/in/the/old/string/table"


def patched(src: str, *arguments: str) -> bytes:
    """The bytes of `src` after `patchelf ARGUMENTS` (Debian's patchelf: the new segment holds
    .dynamic first, then .dynstr and the other tables it moved)."""
    patchelf = shutil.which("patchelf")
    if patchelf is None:
        sys.exit("patchelf is needed for the patchelf images (apt-get install patchelf)")
    with tempfile.TemporaryDirectory() as work:
        target = os.path.join(work, "app")
        shutil.copyfile(src, target)
        subprocess.run([patchelf, *arguments, target], check=True)
        with open(target, "rb") as f:
            return f.read()


@t.image("glibc-patchelf-add-needed", "oci", "fail:missing-library",
         "Debian's dash run through `patchelf --add-needed libmissing.so.1` (its .dynamic and "
         ".dynstr moved to a new PT_LOAD at the end, as auditwheel leaves wheels): glibc stops")
def _():
    app = t.app("COPY app (patchelf --add-needed)", "gzip").file(
        "usr/local/bin/app", patched(f"{t.pkg('bookworm-amd64-dash')}/bin/dash", "--add-needed", "libmissing.so.1"),
        0o755)
    return t.glibc_stack("zstd") + [app], t.config(entrypoint=["/usr/local/bin/app", "-c", f"echo {t.MARK}"])


@t.image("glibc-patchelf-rpath", "oci", "pass",
         "Debian's dash after `patchelf --set-rpath` with a path too long for the old .dynstr: the "
         "string table moved to a new PT_LOAD at the end, and the program starts")
def _():
    app = t.app("COPY app (patchelf --set-rpath)", "gzip").file(
        "usr/local/bin/app", patched(f"{t.pkg('bookworm-amd64-dash')}/bin/dash", "--set-rpath", LONG_RPATH), 0o755)
    return t.glibc_stack("zstd") + [app], t.config(entrypoint=["/usr/local/bin/app", "-c", f"echo {t.MARK}"])


@t.image("musl-patchelf-add-needed", "oci", "fail:missing-library",
         "a musl program run through `patchelf --add-needed libmissing.so.1`, on the musl loader "
         "alone: musl stops with `Error loading shared library`")
def _():
    app = t.app("COPY hello (patchelf --add-needed)", "gzip").file(
        "usr/local/bin/hello", patched(t.binary("hello-musl"), "--add-needed", "libmissing.so.1"), 0o755)
    return [t.scratch_musl_base("zstd"), app], t.config(entrypoint=["/usr/local/bin/hello"])
