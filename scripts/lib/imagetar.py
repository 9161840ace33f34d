"""Deterministic writer for container image tarballs (docker save and OCI archives).

Same inputs give byte-identical output: entries sorted by name, mtime 0, owner as given (names
empty), gzip without name or timestamp, zstd at a fixed level in one thread. Every digest,
size and diff_id is computed from the bytes written, so readers that verify them (skopeo,
umoci, imageaudit) accept the result.

Formats (`write_image(..., fmt=...)`):
  docker    docker save of Docker <= 24: manifest.json, repositories, <id>/layer.tar,
            <id>/json, <id>/VERSION, <config-hex>.json; layers uncompressed.
  docker25  docker save of Docker >= 25: OCI image layout (oci-layout, index.json,
            blobs/sha256/...) plus manifest.json and repositories; layers uncompressed.
  kaniko    go-containerregistry tarball as kaniko writes it: manifest.json, config named
            sha256:<hex>, gzip layers named <digest-hex>.tar.gz.
  oci       OCI image-layout archive (skopeo/buildkit oci-archive); each layer compressed as
            its Layer says: "plain", "gzip" or "zstd".
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import stat
import subprocess
import tarfile

# Tar archives end after their two zero blocks, as Go's archive/tar (docker, buildkit) writes
# them, not padded to Python's default 10 KiB record.
tarfile.RECORDSIZE = tarfile.BLOCKSIZE

ZSTD_LEVEL = 19
GZIP_LEVEL = 9

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


class Entry:
    """One tar entry: kind is "file", "dir", "symlink" or "hardlink"."""

    def __init__(self, kind, mode, uid=0, gid=0, data=b"", target=""):
        self.kind, self.mode, self.uid, self.gid = kind, mode, uid, gid
        self.data, self.target = data, target


class Layer:
    """A filesystem diff. Paths are image paths ("/usr/bin/x"); parents are added as 0755
    root-owned directories unless given explicitly (never add a path whose parent is a
    symlink in a lower layer: real layers hold the resolved path)."""

    def __init__(self, comment: str, compression: str = "gzip", prefix: str = ""):
        assert compression in MT_OCI_LAYER, compression
        self.comment = comment          # goes to the config history (created_by)
        self.compression = compression  # used by the "oci" format only
        self.prefix = prefix            # "./" to write ./-prefixed names, as `tar -C d .` does
        self.entries: dict[str, Entry] = {}

    @staticmethod
    def _norm(path: str) -> str:
        path = path.strip("/")
        assert path and ".." not in path.split("/"), path
        return path

    def _add(self, path, entry):
        self.entries[self._norm(path)] = entry
        return self

    def dir(self, path, mode=0o755, uid=0, gid=0):
        return self._add(path, Entry("dir", mode, uid, gid))

    def file(self, path, data: bytes | str, mode=0o644, uid=0, gid=0):
        if isinstance(data, str):
            data = data.encode()
        return self._add(path, Entry("file", mode, uid, gid, data=data))

    def copy(self, path, src, mode=None, uid=0, gid=0):
        """A regular file from the host; mode defaults to the source's permission bits."""
        with open(src, "rb") as f:
            data = f.read()
        if mode is None:
            mode = stat.S_IMODE(os.stat(src).st_mode)
        return self.file(path, data, mode, uid, gid)

    def symlink(self, path, target):
        return self._add(path, Entry("symlink", 0o777, target=target))

    def hardlink(self, path, target):
        return self._add(path, Entry("hardlink", 0o644, target=self._norm(target)))

    def whiteout(self, path):
        """Deletes PATH of the lower layers (an empty `.wh.NAME` file)."""
        parent, _, name = self._norm(path).rpartition("/")
        return self.file(f"{parent}/.wh.{name}" if parent else f".wh.{name}", b"", 0o644)

    def opaque(self, path):
        """Hides everything the lower layers hold under the directory PATH."""
        return self.file(f"{self._norm(path)}/.wh..wh..opq", b"", 0o644)

    def tree(self, src_root, dest="/", only=None):
        """Copies a host tree (an unpacked .deb) into the layer: files, directories and
        symlinks with their permission bits, owned by root. `only` limits it to those paths
        (relative to src_root; their parent directories come along)."""
        src_root = os.path.abspath(src_root)
        paths = []
        if only is None:
            for top, dirs, files in os.walk(src_root):
                dirs.sort()
                for name in sorted(dirs + files):
                    paths.append(os.path.relpath(os.path.join(top, name), src_root))
        else:
            paths = list(only)
        for rel in paths:
            src = os.path.join(src_root, rel)
            out = os.path.join(dest, rel)
            st = os.lstat(src)
            if stat.S_ISLNK(st.st_mode):
                self.symlink(out, os.readlink(src))
            elif stat.S_ISDIR(st.st_mode):
                self.dir(out, stat.S_IMODE(st.st_mode))
            elif stat.S_ISREG(st.st_mode):
                self.copy(out, src)
            else:
                raise ValueError(f"unsupported file type: {src}")
        return self

    def tar(self) -> bytes:
        """The uncompressed layer tar (its sha256 is the diff_id)."""
        entries = dict(self.entries)
        for path in list(entries):  # implicit parents
            parts = path.split("/")
            for i in range(1, len(parts)):
                entries.setdefault("/".join(parts[:i]), Entry("dir", 0o755))
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
            if self.prefix == "./":  # `tar -C dir -cf - .` starts with the root itself
                root = tarfile.TarInfo("./")
                root.type, root.mode, root.mtime, root.uname, root.gname = tarfile.DIRTYPE, 0o755, 0, "", ""
                tf.addfile(root)
            for path in sorted(entries, key=lambda p: p.encode()):
                e = entries[path]
                ti = tarfile.TarInfo(self.prefix + path + ("/" if e.kind == "dir" else ""))
                ti.mtime, ti.mode, ti.uid, ti.gid = 0, e.mode, e.uid, e.gid
                ti.uname = ti.gname = ""
                if e.kind == "file":
                    ti.type, ti.size = tarfile.REGTYPE, len(e.data)
                    tf.addfile(ti, io.BytesIO(e.data))
                    continue
                ti.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
                           "hardlink": tarfile.LNKTYPE}[e.kind]
                if e.kind == "hardlink":
                    ti.linkname = self.prefix + e.target
                elif e.kind == "symlink":
                    ti.linkname = e.target
                tf.addfile(ti)
        return buf.getvalue()


def compress(data: bytes, how: str) -> bytes:
    if how == "plain":
        return data
    if how == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if how == "zstd":
        # One thread and a fixed level: the frame is a pure function of the input.
        return subprocess.run(["zstd", "-q", f"-{ZSTD_LEVEL}", "-T1", "-c"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    raise ValueError(how)


def add_member(tf: tarfile.TarFile, name: str, data: bytes = b"", path: str | None = None):
    """One member of an image tarball: a regular file (bytes, or the file at PATH streamed),
    mtime 0, mode 0644, owner 0:0 without names. Shared with ociimage.py."""
    ti = tarfile.TarInfo(name)
    ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = 0, 0, 0, "", ""
    ti.mode = 0o644
    if path is not None:
        ti.size = os.path.getsize(path)
        with open(path, "rb") as handle:
            tf.addfile(ti, handle)
        return
    ti.size = len(data)
    tf.addfile(ti, io.BytesIO(data))


def add_directory(tf: tarfile.TarFile, name: str):
    """A directory member of an image tarball: mtime 0, mode 0755, owner 0:0 without names."""
    ti = tarfile.TarInfo(name)
    ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = 0, 0, 0, "", ""
    ti.type, ti.mode = tarfile.DIRTYPE, 0o755
    tf.addfile(ti)


def _outer_tar(files: dict[str, bytes], path: str):
    """Writes the image tarball itself: sorted, mtime 0, root-owned, directories implied."""
    names = set(files)
    for name in list(files):
        parts = name.split("/")
        for i in range(1, len(parts)):
            names.add("/".join(parts[:i]) + "/")
    tmp = path + ".tmp"
    with tarfile.open(tmp, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name in sorted(names, key=lambda n: n.rstrip("/").encode()):
            if name.endswith("/"):
                add_directory(tf, name)
            else:
                add_member(tf, name, files[name])
    os.replace(tmp, path)


def oci_manifest(config_desc: dict, layer_descs: list[dict]) -> bytes:
    """An OCI image manifest over descriptors ({"mediaType", "digest", "size"})."""
    return canonical_json({"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
                           "config": config_desc, "layers": layer_descs})


def oci_index(manifest: bytes, annotations: dict, platform: dict | None = None) -> bytes:
    """An OCI image index with one manifest."""
    entry = {"mediaType": MT_OCI_MANIFEST, "digest": f"sha256:{sha256(manifest)}",
             "size": len(manifest), "annotations": annotations}
    if platform is not None:
        entry["platform"] = platform
    return canonical_json({"schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": [entry]})


def image_config(layers, diff_ids, arch, config, variant=None):
    """The image config JSON (what `docker inspect` shows), fixed creation time."""
    cfg = {"architecture": arch}
    if variant:
        cfg["variant"] = variant
    cfg.update({
        "config": config,
        "created": "1970-01-01T00:00:00Z",
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": l.comment} for l in layers],
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{d}" for d in diff_ids]},
    })
    return canonical_json(cfg)


def write_image(path, name, layers, config, fmt="oci", arch="amd64", variant=None):
    """Writes one image to PATH. `config` is the config's "config" object (Env, Entrypoint,
    Cmd, WorkingDir, User, Healthcheck...), `name` the repository:tag it is saved under."""
    tars = [l.tar() for l in layers]
    diff_ids = [sha256(t) for t in tars]
    cfg = image_config(layers, diff_ids, arch, config, variant)
    cfg_hex = sha256(cfg)
    repo, _, tag = name.partition(":")
    files: dict[str, bytes] = {}

    if fmt == "docker":
        # Legacy v1 layer ids: a chain over the diff_ids, as the ids of Docker <= 24 are.
        manifest_layers, parent = [], ""
        for i, (t, d) in enumerate(zip(tars, diff_ids)):
            layer_id = sha256(f"{parent}\n{d}".encode())
            v1 = {"id": layer_id}
            if parent:
                v1["parent"] = parent
            v1["created"] = "1970-01-01T00:00:00Z"
            if i == len(tars) - 1:
                v1.update({"architecture": arch, "os": "linux", "config": config})
            files[f"{layer_id}/VERSION"] = b"1.0"
            files[f"{layer_id}/json"] = canonical_json(v1)
            files[f"{layer_id}/layer.tar"] = t
            manifest_layers.append(f"{layer_id}/layer.tar")
            parent = layer_id
        files[f"{cfg_hex}.json"] = cfg
        files["manifest.json"] = canonical_json(
            [{"Config": f"{cfg_hex}.json", "RepoTags": [name], "Layers": manifest_layers}])
        files["repositories"] = canonical_json({repo: {tag: parent}})

    elif fmt == "kaniko":
        names = []
        for t in tars:
            blob = compress(t, "gzip")
            names.append(f"{sha256(blob)}.tar.gz")
            files[names[-1]] = blob
        files[f"sha256:{cfg_hex}"] = cfg
        files["manifest.json"] = canonical_json(
            [{"Config": f"sha256:{cfg_hex}", "RepoTags": [name], "Layers": names}])

    elif fmt in ("oci", "docker25"):
        descs = []
        for layer, t in zip(layers, tars):
            how = layer.compression if fmt == "oci" else "plain"
            blob = compress(t, how)
            files[f"blobs/sha256/{sha256(blob)}"] = blob
            descs.append({"mediaType": MT_OCI_LAYER[how], "digest": f"sha256:{sha256(blob)}",
                          "size": len(blob)})
        files[f"blobs/sha256/{cfg_hex}"] = cfg
        manifest = oci_manifest(
            {"mediaType": MT_OCI_CONFIG, "digest": f"sha256:{cfg_hex}", "size": len(cfg)}, descs)
        files[f"blobs/sha256/{sha256(manifest)}"] = manifest
        ref = {"org.opencontainers.image.ref.name": tag}
        if fmt == "docker25":
            ref = {"io.containerd.image.name": f"docker.io/{name}", **ref}
        platform = {"architecture": arch, "os": "linux"}
        if variant:
            platform["variant"] = variant
        files["index.json"] = oci_index(manifest, ref, platform)
        files["oci-layout"] = canonical_json({"imageLayoutVersion": "1.0.0"})
        if fmt == "docker25":
            files["manifest.json"] = canonical_json([{
                "Config": f"blobs/sha256/{cfg_hex}", "RepoTags": [name],
                "Layers": [d["digest"].replace("sha256:", "blobs/sha256/") for d in descs]}])
            files["repositories"] = canonical_json({repo: {tag: cfg_hex}})
    else:
        raise ValueError(fmt)

    _outer_tar(files, path)
