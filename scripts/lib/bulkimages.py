#!/usr/bin/env python3
"""Writes the benchmark's bulk set: 50 small and medium images plus 2 unreadable tarballs.

  bulkimages.py --parts DIR --out DIR [--blobs DIR]

DIR (--parts) holds uncompressed layer tars made from real Debian packages by
scripts/lib/bench-inputs.sh: busybox.tar (busybox-static), musl.tar (musl + a musl-linked
program), glibc.tar (libc6, bash, coreutils), python.tar (python3, to stack on glibc.tar).

Image i (0..49) is fully determined by i: its kind (busybox, glibc, python, musl), layer
compression (gzip, zstd, none), tarball layout (docker, oci, legacy), an application layer of
seeded pseudo-random data (some images carry 8–24 MB of it, so sizes range from ~1 MB to
~100 MB), and for some of them a defect that stops the entrypoint from starting (listed in
BROKEN). Two more tarballs cannot be read at all: a layer whose bytes do not match its digest,
and a tarball cut in half.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import imagewriter  # noqa: E402

# The layout in an image's name -> imagewriter's: docker save of Docker >= 25, OCI, Docker <= 24.
WRITER_LAYOUT = {"docker": "docker25", "oci": "oci", "legacy": "docker"}

KINDS = ["busybox", "glibc", "python", "musl", "glibc"]
COMPRESSIONS = ["gzip", "gzip", "zstd", "none"]

# index -> defect; the kind follows from index % 5.
BROKEN = {
    3: "missing-entrypoint", 13: "missing-entrypoint", 23: "missing-entrypoint",
    33: "missing-entrypoint", 43: "missing-entrypoint",
    7: "missing-library", 27: "missing-library",        # python: libexpat.so.1 whited out
    16: "missing-library", 36: "missing-library",       # glibc: libtinfo.so.6 whited out
    20: "missing-shebang", 40: "missing-shebang",       # busybox: #!/bin/bash script
    24: "not-executable", 49: "not-executable",         # glibc: run.sh mode 0644
    18: "missing-interpreter",                          # musl: ld-musl whited out
}

LAYERS = {
    "busybox": ["busybox.tar"],
    "glibc": ["glibc.tar"],
    "python": ["glibc.tar", "python.tar"],
    "musl": ["busybox.tar", "musl.tar"],
}

ENTRYPOINT = {
    "busybox": (["/bin/sh", "-c"], ["echo hello from busybox"]),
    "glibc": (["/bin/bash", "/app/run.sh"], None),
    "python": (["/usr/bin/python3", "/app/main.py"], None),
    "musl": (["/usr/local/bin/hello"], None),
}


def write(path: str, data: bytes | str, mode: int = 0o644) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)


def whiteout(app: str, path: str) -> None:
    folder, name = os.path.split(path.lstrip("/"))
    write(os.path.join(app, folder, ".wh." + name), b"")


def app_layer(app: str, index: int, kind: str, defect: str | None) -> list[str]:
    """Fills the application layer folder; returns the entrypoint."""
    rng = random.Random(index)
    entrypoint, _ = ENTRYPOINT[kind]
    entrypoint = list(entrypoint)
    write(os.path.join(app, "app/run.sh"), "#!/bin/bash\necho hello from bash\n",
          0o644 if defect == "not-executable" else 0o755)
    write(os.path.join(app, "app/main.py"), "import json, xml.parsers.expat\nprint('hello from python')\n")
    # data: half random (incompressible), half repetitive (compressible)
    megabytes = rng.choice([0, 0, 1, 2, 4]) + (rng.choice([8, 16, 24]) if index % 6 == 0 else 0)
    for n in range(1 + index % 4):
        size = (megabytes << 20) // (1 + index % 4) if megabytes else 4096 * (n + 1)
        body = rng.randbytes(size // 2) + (f"line {index} {n}\n" * (size // 16 + 1)).encode()[: size - size // 2]
        write(os.path.join(app, f"app/data/{n:02d}.bin"), body)
    if defect == "missing-entrypoint":
        entrypoint = ["/app/missing"]
    elif defect == "missing-library":
        lib = "libexpat.so.1" if kind == "python" else "libtinfo.so.6"
        whiteout(app, f"/usr/lib/x86_64-linux-gnu/{lib}")
    elif defect == "missing-shebang":
        write(os.path.join(app, "app/run.sh"), "#!/bin/bash\necho needs bash\n", 0o755)
        entrypoint = ["/app/run.sh"]
    elif defect == "not-executable":
        entrypoint = ["/app/run.sh"]
    elif defect == "missing-interpreter":
        whiteout(app, "/usr/lib/ld-musl-x86_64.so.1")
    return entrypoint


def image_args(parts: str, index: int, out_dir: str, blobs: str | None, work: str) -> list[str]:
    kind = KINDS[index % len(KINDS)]
    compression = COMPRESSIONS[index % len(COMPRESSIONS)]
    layout = "legacy" if index % 9 == 8 else "oci" if index % 11 == 10 else "docker"
    if layout == "legacy":
        compression = "none"
    defect = BROKEN.get(index)
    name = f"{index:02d}-{kind}-{compression}" + (f"-{layout}" if layout != "docker" else "")
    name += f"-{defect}" if defect else ""
    app = os.path.join(work, name)
    entrypoint = app_layer(app, index, kind, defect)
    _, cmd = ENTRYPOINT[kind]
    args = ["--out", os.path.join(out_dir, name + ".tar"), "--compression", compression,
            "--layout", WRITER_LAYOUT[layout], "--tag", f"bench/{name}:latest",
            "--entrypoint", json.dumps(entrypoint),
            "--env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    if cmd and defect not in ("missing-entrypoint", "missing-shebang"):
        args += ["--cmd", json.dumps(cmd)]
    for layer in LAYERS[kind]:
        args += ["--layer-tar", os.path.join(parts, layer)]
    args += ["--layer", app]
    if blobs:
        args += ["--keep-blobs", os.path.join(blobs, name)]
    return args


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--blobs", default=None)
    parser.add_argument("--count", type=int, default=50)
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bulk-", dir=options.out)
    try:
        for index in range(options.count):
            args = image_args(options.parts, index, options.out, options.blobs, work)
            imagewriter.build(imagewriter.parse_args(args))
        app = os.path.join(work, "unreadable")
        write(os.path.join(app, "app/x"), "x\n")
        bad = ["--layer-tar", os.path.join(options.parts, "busybox.tar"), "--layer", app,
               "--entrypoint", '["/bin/sh"]']
        imagewriter.build(imagewriter.parse_args(
            ["--out", os.path.join(options.out, "90-unreadable-digest-mismatch.tar"), "--corrupt-layer", "0", *bad]))
        half = os.path.join(options.out, "91-unreadable-truncated.tar")
        imagewriter.build(imagewriter.parse_args(["--out", half, *bad]))
        os.truncate(half, os.path.getsize(half) // 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
