"""The contents of image layers, as tar archives that are the same bytes on every run.

Layer: a filesystem diff built in memory (files, directories, symlinks, hard links, whiteouts,
opaque directories, trees copied from unpacked .debs) whose tar() is sorted by name, mtime 0,
owner as given without names (the TestImages). tar_directory: a folder on disk tarred by GNU
tar with the same rules, streamed to a file (the benchmark's layers of hundreds of MB).
imagewriter.py stores either kind in an image tarball.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import tarfile

# Tar archives end after their two zero blocks, as Go's archive/tar (docker, buildkit) writes
# them, not padded to Python's default 10 KiB record (imagewriter.py sets the same).
tarfile.RECORDSIZE = tarfile.BLOCKSIZE

COMPRESSIONS = ("plain", "gzip", "zstd")


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
        assert compression in COMPRESSIONS, compression
        self.comment = comment          # goes to the config history (created_by)
        self.compression = compression  # used by the "oci" layout only
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


def tar_directory(directory: str, out_path: str) -> None:
    """Writes an uncompressed, deterministic layer tar of `directory` (names without './')."""
    names = sorted(os.listdir(directory))
    command = [
        "tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner",
        "--format=pax", "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime",
        "-C", directory, "-cf", out_path, "--",
    ]
    env = dict(os.environ, LC_ALL="C")
    if not names:  # an empty layer: zero blocks only (GNU tar's 10 KiB record)
        with open(out_path, "wb") as handle:
            handle.write(b"\0" * 10240)
        return
    subprocess.run(command + names, check=True, env=env)
