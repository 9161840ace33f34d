#!/usr/bin/env python3
"""Deterministic container image tarball writer (no Docker daemon needed).

Builds an image tarball from layer directories or ready-made uncompressed layer tars:

  ociimage.py --out img.tar --compression gzip \
      --layer rootfs-base/ --layer-tar app.tar \
      --entrypoint '["/usr/bin/python3"]' --cmd '["-c", "print(1)"]' --env PATH=/usr/bin:/bin

Layouts (``--layout``):
  docker  what `docker save` writes since Docker 25: an OCI image layout (oci-layout, index.json,
          blobs/sha256/...) plus the legacy manifest.json pointing at the same blobs. Default.
  oci     an OCI image layout archive only (no manifest.json), as `skopeo copy oci-archive:` writes.
  legacy  the pre-25 `docker save` layout: <id>/layer.tar (always uncompressed), <config>.json,
          manifest.json, repositories.

Determinism: layer tars are written by GNU tar with sorted names, mtime 0, owner 0:0 and no
atime/ctime; gzip runs with -n, zstd at a fixed level; the outer tar has fixed metadata and
order and ends after its two zero blocks (imagetar.py's members; tarballs made before the two
writers shared them were padded to 10 KiB, the only difference). Same inputs, same tools →
byte-identical tarball.

Digests are real: diff_ids are sha256 of the uncompressed layer tars, descriptors carry the
sha256 and size of the stored blobs.

Options for broken test inputs (used by the benchmark's bulk set):
  --corrupt-layer N   flip bytes in the middle of blob N after hashing (digest mismatch)
  --truncate BYTES    cut the finished outer tarball to BYTES
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The tarball members, JSON encoding, media types and OCI documents are TestImages' writer's
# (imagetar.py); this script adds what the benchmark needs on top: layers from folders and
# files on disk (hundreds of MB, streamed, never held in memory), the GNU gzip/zstd tools at
# their default levels, and the Docker 25 member order.
from imagetar import MT_OCI_CONFIG, add_directory, add_member, canonical_json, oci_index, oci_manifest  # noqa: E402
from imagetar import MT_OCI_LAYER  # noqa: E402

MEDIA_LAYER = {"none": MT_OCI_LAYER["plain"], "gzip": MT_OCI_LAYER["gzip"], "zstd": MT_OCI_LAYER["zstd"]}
CHUNK = 1 << 20


@dataclass
class Blob:
    """A file (or bytes) stored under blobs/sha256/<digest>."""

    digest: str
    size: int
    path: str | None = None
    data: bytes | None = None


def log(message: str) -> None:
    print(f"** {message}", file=sys.stderr)


def tar_directory(directory: str, out_path: str) -> None:
    """Writes an uncompressed, deterministic layer tar of `directory` (names without './')."""
    names = sorted(os.listdir(directory))
    command = [
        "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
        "--format=pax", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
        "-C", directory, "-cf", out_path, "--",
    ]
    env = dict(os.environ, LC_ALL="C")
    if not names:  # an empty layer is a valid tar of two zero blocks
        with open(out_path, "wb") as handle:
            handle.write(b"\0" * 10240)
        return
    subprocess.run(command + names, check=True, env=env)


def sha256_file(path: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return "sha256:" + digest.hexdigest(), size


def compress(src: str, dst: str, compression: str, level: int | None) -> None:
    if compression == "none":
        shutil.copyfile(src, dst)
        return
    if compression == "gzip":
        command = ["gzip", "-n", f"-{level or 6}", "-c", src]
    else:
        command = ["zstd", "-q", f"-{level or 3}", "--no-progress", "-c", src]
    with open(dst, "wb") as out:
        subprocess.run(command, check=True, stdout=out)


def corrupt(path: str) -> None:
    size = os.path.getsize(path)
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        chunk = handle.read(64)
        handle.seek(size // 2)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def bytes_blob(data: bytes) -> Blob:
    return Blob("sha256:" + hashlib.sha256(data).hexdigest(), len(data), data=data)


def put(out: tarfile.TarFile, name: str, blob: Blob | None = None, *, data: bytes | None = None) -> None:
    """A member from a blob (a file on disk or bytes) or from bytes."""
    if blob is not None and blob.path is not None:
        add_member(out, name, path=blob.path)
    else:
        add_member(out, name, data if data is not None else (blob.data if blob else b"") or b"")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the image tarball to write")
    parser.add_argument("--layer", action="append", default=[], dest="layers",
                        type=lambda v: ("dir", v), help="a directory to tar as the next layer")
    parser.add_argument("--layer-tar", action="append", dest="layers",
                        type=lambda v: ("tar", v), help="an uncompressed layer tar to use as the next layer")
    parser.add_argument("--compression", choices=["gzip", "zstd", "none"], default="gzip")
    parser.add_argument("--level", type=int, default=None, help="compression level")
    parser.add_argument("--layout", choices=["docker", "oci", "legacy"], default="docker")
    parser.add_argument("--entrypoint", type=json.loads, default=None, help="JSON array")
    parser.add_argument("--cmd", type=json.loads, default=None, help="JSON array")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE (repeatable)")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--user", default=None)
    parser.add_argument("--arch", default="amd64")
    parser.add_argument("--tag", default="bench/image:latest")
    parser.add_argument("--corrupt-layer", type=int, default=None)
    parser.add_argument("--truncate", type=int, default=None)
    parser.add_argument("--keep-blobs", default=None,
                        help="also keep the compressed layer blobs in this folder (for the decompression floor)")
    return parser.parse_args(argv)


def build(args: argparse.Namespace) -> None:
    if not args.layers:
        raise SystemExit("ociimage.py: at least one --layer or --layer-tar is needed")
    compression = "none" if args.layout == "legacy" else args.compression
    work = tempfile.mkdtemp(prefix="ociimage-", dir=os.path.dirname(os.path.abspath(args.out)))
    try:
        layers: list[Blob] = []
        diff_ids: list[str] = []
        for index, (kind, source) in enumerate(args.layers):
            raw = source
            if kind == "dir":
                raw = os.path.join(work, f"layer{index}.tar")
                tar_directory(source, raw)
            diff_id, _ = sha256_file(raw)
            stored = os.path.join(work, f"layer{index}.blob")
            compress(raw, stored, compression, args.level)
            digest, size = sha256_file(stored)
            if args.corrupt_layer == index:
                corrupt(stored)  # after hashing: the descriptor no longer matches the bytes
            layers.append(Blob(digest, size, path=stored))
            diff_ids.append(diff_id)
            if kind == "dir":
                os.unlink(raw)
        if args.keep_blobs:
            os.makedirs(args.keep_blobs, exist_ok=True)
            for index, layer in enumerate(layers):
                assert layer.path
                shutil.copyfile(layer.path, os.path.join(args.keep_blobs, f"{index:02d}-{compression}"))

        runtime: dict[str, object] = {}
        if args.env:
            runtime["Env"] = args.env
        if args.entrypoint is not None:
            runtime["Entrypoint"] = args.entrypoint
        if args.cmd is not None:
            runtime["Cmd"] = args.cmd
        if args.workdir:
            runtime["WorkingDir"] = args.workdir
        if args.user:
            runtime["User"] = args.user
        config = {
            "architecture": args.arch,
            "os": "linux",
            "created": "1970-01-01T00:00:00Z",
            "config": runtime,
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": f"ociimage.py layer {i}"}
                        for i in range(len(layers))],
        }
        config_blob = bytes_blob(canonical_json(config))
        write_outer(args, compression, config_blob, layers, diff_ids)
        if args.truncate is not None:
            os.truncate(args.out, args.truncate)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_outer(args: argparse.Namespace, compression: str, config_blob: Blob,
                layers: list[Blob], diff_ids: list[str]) -> None:
    temp_out = args.out + ".partial"
    with tarfile.open(temp_out, "w", format=tarfile.PAX_FORMAT) as out:
        if args.layout == "legacy":
            write_legacy(out, args, config_blob, layers, diff_ids)
        else:
            write_oci(out, args, compression, config_blob, layers)
    os.replace(temp_out, args.out)


def write_oci(out: tarfile.TarFile, args: argparse.Namespace, compression: str,
              config_blob: Blob, layers: list[Blob]) -> None:
    manifest = oci_manifest(
        {"mediaType": MT_OCI_CONFIG, "digest": config_blob.digest, "size": config_blob.size},
        [{"mediaType": MEDIA_LAYER[compression], "digest": b.digest, "size": b.size} for b in layers])
    manifest_blob = bytes_blob(manifest)
    index = oci_index(manifest, {"io.containerd.image.name": "docker.io/" + args.tag,
                                 "org.opencontainers.image.ref.name": args.tag.rsplit(":", 1)[-1]})
    # Docker 25+ order: blobs first, then index.json, manifest.json, oci-layout.
    add_directory(out, "blobs")
    add_directory(out, "blobs/sha256")
    written: set[str] = set()
    for blob in [*layers, config_blob, manifest_blob]:
        if blob.digest in written:
            continue
        written.add(blob.digest)
        put(out, "blobs/sha256/" + blob.digest.split(":", 1)[1], blob)
    put(out, "index.json", data=index)
    if args.layout == "docker":
        legacy = [{
            "Config": "blobs/sha256/" + config_blob.digest.split(":", 1)[1],
            "RepoTags": [args.tag],
            "Layers": ["blobs/sha256/" + b.digest.split(":", 1)[1] for b in layers],
        }]
        put(out, "manifest.json", data=canonical_json(legacy))
    put(out, "oci-layout", data=canonical_json({"imageLayoutVersion": "1.0.0"}))


def write_legacy(out: tarfile.TarFile, args: argparse.Namespace, config_blob: Blob,
                 layers: list[Blob], diff_ids: list[str]) -> None:
    config_name = config_blob.digest.split(":", 1)[1] + ".json"
    layer_names = []
    for blob, diff_id in zip(layers, diff_ids):
        folder = diff_id.split(":", 1)[1]
        add_directory(out, folder)
        put(out, folder + "/VERSION", data=b"1.0")
        put(out, folder + "/layer.tar", blob)
        layer_names.append(folder + "/layer.tar")
    put(out, config_name, config_blob)
    put(out, "manifest.json",
        data=canonical_json([{"Config": config_name, "RepoTags": [args.tag], "Layers": layer_names}]))
    repo, _, tag = args.tag.rpartition(":")
    put(out, "repositories",
        data=canonical_json({repo: {tag: diff_ids[-1].split(":", 1)[1]}}))


if __name__ == "__main__":
    build(parse_args(sys.argv[1:]))
