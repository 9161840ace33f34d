#!/usr/bin/env python3
"""Compares the merged tree `imageaudit inspect --format json --files` printed for one image
with a rootfs unpacked by umoci: same paths, types, modes, link targets, sizes, and owners when
the unpack preserved them. Prints the differences; exit status 1 when there are any.

Usage: compare_trees.py INSPECT.json IMAGE-INDEX ROOTFS [--no-owners]
"""
import json
import os
import stat
import sys

TYPES = {
    stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFLNK: "symlink", stat.S_IFCHR: "char",
    stat.S_IFBLK: "block", stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket",
}


def display(raw: bytes) -> str:
    # imageaudit shows non-UTF-8 names with U+FFFD, as Swift's lossy decoding does.
    return raw.decode("utf-8", errors="replace")


def umoci_tree(root: str, owners: bool) -> dict:
    tree = {}
    root_bytes = os.fsencode(root)
    for directory, dirs, files in os.walk(root_bytes):
        for name in dirs + files:
            full = os.path.join(directory, name)
            info = os.lstat(full)
            kind = TYPES.get(stat.S_IFMT(info.st_mode), "unknown")
            entry = {"type": kind, "mode": "%04o" % stat.S_IMODE(info.st_mode)}
            if owners:
                entry["uid"], entry["gid"] = info.st_uid, info.st_gid
            if kind == "file":
                entry["size"] = info.st_size
            if kind == "symlink":
                entry["target"] = display(os.readlink(full))
            tree["/" + display(os.path.relpath(full, root_bytes))] = entry
    return tree


def our_tree(report: dict, owners: bool) -> dict:
    tree = {}
    for item in report["files"]:
        entry = {"type": item["type"], "mode": item["mode"]}
        if owners:
            entry["uid"], entry["gid"] = item["uid"], item["gid"]
        if item["type"] == "file":
            entry["size"] = item["size"]
        if item["type"] == "symlink":
            entry["target"] = item.get("target", "")
        tree[item["path"]] = entry
    return tree


def main() -> int:
    inspect_path, index, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    owners = "--no-owners" not in sys.argv
    report = json.load(open(inspect_path))["images"][index]
    ours, theirs = our_tree(report, owners), umoci_tree(root, owners)
    problems = []
    for path in sorted(set(ours) | set(theirs)):
        if path not in theirs:
            problems.append(f"only imageaudit: {path} {ours[path]}")
        elif path not in ours:
            problems.append(f"only umoci: {path} {theirs[path]}")
        elif ours[path] != theirs[path]:
            problems.append(f"differs: {path} imageaudit {ours[path]} umoci {theirs[path]}")
    for line in problems[:40]:
        print("    " + line)
    if len(problems) > 40:
        print(f"    … and {len(problems) - 40} more")
    print(f"  {len(ours)} paths compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
