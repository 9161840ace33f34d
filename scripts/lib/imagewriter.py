#!/usr/bin/env python3
"""Deterministic writer for container image tarballs: the TestImages and the benchmark inputs.

Same inputs give byte-identical output: mtime 0, owner 0:0 without names, gzip without name or
timestamp, zstd at a fixed level. Every digest, size and diff_id is computed from the bytes
written, so readers that verify them (skopeo, umoci, imageaudit) accept the result.

Layouts (`write_tarball(layout=...)`, `write_image(fmt=...)`, `--layout`):
  docker    docker save of Docker <= 24: manifest.json, repositories, <id>/layer.tar,
            <id>/VERSION (and <id>/json), the config as <hex>.json; layers uncompressed.
  docker25  docker save of Docker >= 25: OCI image layout (oci-layout, index.json,
            blobs/sha256/...) plus manifest.json (and repositories) pointing at the same blobs.
  kaniko    go-containerregistry tarball as kaniko writes it: manifest.json, config named
            sha256:<hex>, gzip layers named <digest-hex>.tar.gz.
  oci       OCI image-layout archive (skopeo/buildkit oci-archive).
Where real tools differ in details (member order, platform in the index, ...), a Style fixes
the choice per caller (TESTIMAGES, BENCH), so that neither set of tarballs changes.

As a command (the benchmark, scripts/lib/bench-inputs.sh and bulkimages.py), layers come from
folders (--layer, tarred by GNU tar) or ready-made tars (--layer-tar), streamed from disk:

  imagewriter.py --out img.tar --compression gzip --layer rootfs/ --layer-tar app.tar \\
      --entrypoint '["/usr/bin/python3"]' --cmd '["-c", "print(1)"]' --env PATH=/usr/bin:/bin
  Broken inputs: --corrupt-layer N flips bytes in blob N after hashing (digest mismatch),
  --truncate BYTES cuts the finished tarball.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imagelayer import tar_directory  # noqa: E402

# Tar archives end after their two zero blocks, as Go's archive/tar (docker, buildkit) writes
# them, not padded to Python's default 10 KiB record.
tarfile.RECORDSIZE = tarfile.BLOCKSIZE

ZSTD_LEVEL = 19
GZIP_LEVEL = 9
CHUNK = 1 << 20

MT_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_OCI_LAYER = {
    "plain": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(obj) -> bytes:
    """JSON as the image tools write it: compact, keys in the order given."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class Blob:
    """Bytes stored in the tarball: in memory (data) or a file on disk (path, streamed)."""

    hex: str
    size: int
    data: bytes | None = None
    path: str | None = None

    @property
    def digest(self) -> str:
        return "sha256:" + self.hex

    @staticmethod
    def of(data: bytes) -> Blob:
        return Blob(sha256(data), len(data), data=data)

    @staticmethod
    def of_file(path: str) -> Blob:
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return Blob(digest.hexdigest(), size, path=path)


@dataclass
class StoredLayer:
    blob: Blob          # the layer as stored (compressed or not)
    diff_id: str        # sha256 hex of the uncompressed tar
    compression: str    # plain, gzip or zstd


@dataclass(frozen=True)
class Style:
    """Details in which real writers differ, fixed per caller."""

    sort: bool             # members sorted by name, or in the order docker save (25) writes them
    platform: bool         # the index's manifest entry carries the platform
    containerd_name: bool  # io.containerd.image.name in OCI archives too (docker25 always has it)
    repositories: bool     # docker25 writes the legacy `repositories` file as well
    chain_ids: bool        # Docker <= 24: layer folders named by v1 chain ids, with a v1 json each


TESTIMAGES = Style(sort=True, platform=True, containerd_name=False, repositories=True, chain_ids=True)
BENCH = Style(sort=False, platform=False, containerd_name=True, repositories=False, chain_ids=False)


def compress(data: bytes, how: str) -> bytes:
    """In memory, for the TestImages: zlib's gzip at level 9, zstd -19 in one thread."""
    if how == "plain":
        return data
    if how == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if how == "zstd":
        # One thread and a fixed level: the frame is a pure function of the input.
        return subprocess.run(["zstd", "-q", f"-{ZSTD_LEVEL}", "-T1", "-c"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    raise ValueError(how)


def compress_file(src: str, dst: str, how: str, level: int | None) -> None:
    """File to file, for the benchmark: GNU gzip -n (level 6) or zstd (level 3) by default."""
    if how == "plain":
        shutil.copyfile(src, dst)
        return
    if how == "gzip":
        command = ["gzip", "-n", f"-{level or 6}", "-c", src]
    else:
        command = ["zstd", "-q", f"-{level or 3}", "--no-progress", "-c", src]
    with open(dst, "wb") as out:
        subprocess.run(command, check=True, stdout=out)


def _member(name: str) -> tarfile.TarInfo:
    ti = tarfile.TarInfo(name)
    ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = 0, 0, 0, "", ""
    return ti


def _write_members(path: str, files: dict[str, Blob], sort: bool) -> None:
    """The image tarball itself: files 0644 and their parent directories 0755, root-owned,
    mtime 0; sorted by name, or in the order given with each directory before its first file."""
    names: list[str] = []
    for name in files:
        parts = name.split("/")
        names += ["/".join(parts[:i]) + "/" for i in range(1, len(parts))] + [name]
    names = list(dict.fromkeys(names))
    if sort:
        names.sort(key=lambda n: n.rstrip("/").encode())
    tmp = path + ".partial"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name in names:
            ti = _member(name)
            if name.endswith("/"):
                ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                tf.addfile(ti)
                continue
            blob = files[name]
            ti.mode, ti.size = 0o644, blob.size
            if blob.path is not None:
                with open(blob.path, "rb") as handle:
                    tf.addfile(ti, handle)
            else:
                tf.addfile(ti, io.BytesIO(blob.data or b""))
    os.replace(tmp, path)


def image_config(comments, diff_ids, arch, config, variant=None) -> bytes:
    """The TestImages' config JSON (what `docker inspect` shows), fixed creation time."""
    cfg = {"architecture": arch}
    if variant:
        cfg["variant"] = variant
    cfg.update({
        "config": config,
        "created": "1970-01-01T00:00:00Z",
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": c} for c in comments],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for d in diff_ids]},
    })
    return canonical_json(cfg)


def write_tarball(path: str, layout: str, name: str, config: Blob, layers: list[StoredLayer],
                  style: Style, arch="amd64", variant=None, runtime=None) -> None:
    """Writes one image to PATH, saved as `name` (repository:tag). `runtime` (the config's
    "config" object) goes into the v1 json of Docker <= 24 chain-id layouts."""
    repo, _, tag = name.rpartition(":")
    files: dict[str, Blob] = {}
    if layout == "docker":
        parent, folders = "", []
        for i, layer in enumerate(layers):
            assert layer.compression == "plain", "docker save (<= 24) layers are uncompressed"
            folder = sha256(f"{parent}\n{layer.diff_id}".encode()) if style.chain_ids else layer.diff_id
            files[f"{folder}/VERSION"] = Blob.of(b"1.0")
            if style.chain_ids:
                v1 = {"id": folder, **({"parent": parent} if parent else {}), "created": "1970-01-01T00:00:00Z"}
                if i == len(layers) - 1:
                    v1.update({"architecture": arch, "os": "linux", "config": runtime})
                files[f"{folder}/json"] = Blob.of(canonical_json(v1))
            files[f"{folder}/layer.tar"] = layer.blob
            folders.append(folder)
            parent = folder
        files[f"{config.hex}.json"] = config
        files["manifest.json"] = Blob.of(canonical_json(
            [{"Config": f"{config.hex}.json", "RepoTags": [name], "Layers": [f"{f}/layer.tar" for f in folders]}]))
        files["repositories"] = Blob.of(canonical_json({repo: {tag: parent}}))
    elif layout == "kaniko":
        for layer in layers:
            assert layer.compression == "gzip", "kaniko tarballs hold gzip layers"
            files[f"{layer.blob.hex}.tar.gz"] = layer.blob
        files[f"sha256:{config.hex}"] = config
        files["manifest.json"] = Blob.of(canonical_json(
            [{"Config": f"sha256:{config.hex}", "RepoTags": [name],
              "Layers": [f"{layer.blob.hex}.tar.gz" for layer in layers]}]))
    elif layout in ("oci", "docker25"):
        manifest = Blob.of(canonical_json({
            "schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
            "config": {"mediaType": MT_OCI_CONFIG, "digest": config.digest, "size": config.size},
            "layers": [{"mediaType": MT_OCI_LAYER[layer.compression], "digest": layer.blob.digest,
                        "size": layer.blob.size} for layer in layers]}))
        for blob in [*(layer.blob for layer in layers), config, manifest]:
            files.setdefault(f"blobs/sha256/{blob.hex}", blob)
        annotations = {"org.opencontainers.image.ref.name": tag}
        if layout == "docker25" or style.containerd_name:
            annotations = {"io.containerd.image.name": f"docker.io/{name}", **annotations}
        entry = {"mediaType": MT_OCI_MANIFEST, "digest": manifest.digest, "size": manifest.size,
                 "annotations": annotations}
        if style.platform:
            entry["platform"] = {"architecture": arch, "os": "linux", **({"variant": variant} if variant else {})}
        files["index.json"] = Blob.of(canonical_json(
            {"schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": [entry]}))
        if layout == "docker25":
            files["manifest.json"] = Blob.of(canonical_json([{
                "Config": f"blobs/sha256/{config.hex}", "RepoTags": [name],
                "Layers": [f"blobs/sha256/{layer.blob.hex}" for layer in layers]}]))
        files["oci-layout"] = Blob.of(canonical_json({"imageLayoutVersion": "1.0.0"}))
        if layout == "docker25" and style.repositories:
            files["repositories"] = Blob.of(canonical_json({repo: {tag: config.hex}}))
    else:
        raise ValueError(layout)
    _write_members(path, files, style.sort)


def write_image(path, name, layers, config, fmt="oci", arch="amd64", variant=None):
    """A TestImage: imagelayer.Layer objects (in memory), `config` the config's "config" object
    (Env, Entrypoint, Cmd, WorkingDir, User, Healthcheck...), `name` its repository:tag."""
    tars = [layer.tar() for layer in layers]
    diff_ids = [sha256(t) for t in tars]
    cfg = Blob.of(image_config([layer.comment for layer in layers], diff_ids, arch, config, variant))
    stored = []
    for layer, t, d in zip(layers, tars, diff_ids):
        how = {"docker": "plain", "docker25": "plain", "kaniko": "gzip"}.get(fmt, layer.compression)
        stored.append(StoredLayer(Blob.of(compress(t, how)), d, how))
    write_tarball(path, fmt, name, cfg, stored, TESTIMAGES, arch, variant, runtime=config)


# ---------------------------------------------------------------------------------------------
# The command (benchmark inputs)

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="the image tarball to write")
    parser.add_argument("--layer", action="append", default=[], dest="layers",
                        type=lambda v: ("dir", v), help="a directory to tar as the next layer")
    parser.add_argument("--layer-tar", action="append", dest="layers",
                        type=lambda v: ("tar", v), help="an uncompressed layer tar to use as the next layer")
    parser.add_argument("--compression", choices=["gzip", "zstd", "none"], default="gzip")
    parser.add_argument("--level", type=int, default=None, help="compression level")
    parser.add_argument("--layout", choices=["docker", "docker25", "kaniko", "oci"], default="docker25")
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


def corrupt(path: str) -> None:
    size = os.path.getsize(path)
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        chunk = handle.read(64)
        handle.seek(size // 2)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def build(args: argparse.Namespace) -> None:
    if not args.layers:
        raise SystemExit("imagewriter.py: at least one --layer or --layer-tar is needed")
    compression = {"docker": "plain", "kaniko": "gzip"}.get(args.layout, args.compression.replace("none", "plain"))
    work = tempfile.mkdtemp(prefix="imagewriter-", dir=os.path.dirname(os.path.abspath(args.out)))
    try:
        layers: list[StoredLayer] = []
        for index, (kind, source) in enumerate(args.layers):
            raw = source
            if kind == "dir":
                raw = os.path.join(work, f"layer{index}.tar")
                tar_directory(source, raw)
            diff_id = Blob.of_file(raw).hex
            stored = os.path.join(work, f"layer{index}.blob")
            compress_file(raw, stored, compression, args.level)
            layers.append(StoredLayer(Blob.of_file(stored), diff_id, compression))
            if args.corrupt_layer == index:
                corrupt(stored)  # after hashing: the descriptor no longer matches the bytes
            if kind == "dir":
                os.unlink(raw)
        if args.keep_blobs:
            os.makedirs(args.keep_blobs, exist_ok=True)
            for index, layer in enumerate(layers):
                assert layer.blob.path
                shutil.copyfile(layer.blob.path, os.path.join(
                    args.keep_blobs, f"{index:02d}-{compression.replace('plain', 'none')}"))
        runtime: dict[str, object] = {}
        for key, value in (("Env", args.env), ("Entrypoint", args.entrypoint), ("Cmd", args.cmd),
                           ("WorkingDir", args.workdir), ("User", args.user)):
            if value is not None and (value or key in ("Entrypoint", "Cmd")):
                runtime[key] = value
        config = {
            "architecture": args.arch, "os": "linux", "created": "1970-01-01T00:00:00Z", "config": runtime,
            "rootfs": {"type": "layers", "diff_ids": [f"sha256:{layer.diff_id}" for layer in layers]},
            # (the name of this writer before it was merged: kept, so the inputs stay the same bytes)
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": f"ociimage.py layer {i}"}
                        for i in range(len(layers))],
        }
        write_tarball(args.out, args.layout, args.tag, Blob.of(canonical_json(config)), layers, BENCH,
                      args.arch, runtime=runtime)
        if args.truncate is not None:
            os.truncate(args.out, args.truncate)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    build(parse_args(sys.argv[1:]))
