#!/usr/bin/env python3
"""Cost growth of imageaudit: wall time and peak RSS against uncompressed size and file count.

Reads the `growth` rows of a scripts/bench.sh results file (one imageaudit run per tarball of the
memory ladder and of the bulk set), measures each tarball's layers itself (uncompressed tar bytes
and regular files, by decompressing the cached layer blobs with gzip/zstd and reading them with
Python's tarfile; cached in BENCH_CACHE/growth-stats.json), and draws a 2 x 2 PNG with gnuplot.

Usage: benchplot.py RESULTS.tsv --cache BENCH_CACHE --out FILE.png [--data FILE.tsv]
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import tarfile
from collections import defaultdict


def layer_stats(blob: str) -> tuple[int, int]:
    """Uncompressed bytes and regular files of one layer blob (named NN-gzip, NN-zstd or NN-none)."""
    if blob.endswith("-gzip"):
        command = ["gzip", "-dc", blob]
    elif blob.endswith("-zstd"):
        command = ["zstd", "-dcq", blob]
    else:
        command = ["cat", blob]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:
        counting = CountingReader(process.stdout)
        files = 0
        with tarfile.open(fileobj=counting, mode="r|") as tar:
            for member in tar:
                files += member.isreg()
        counting.read_rest()
    return counting.count, files


class CountingReader:
    """A file object that counts the bytes read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data

    def read_rest(self) -> None:
        while self.read(1 << 20):
            pass


def growth_stats(cache: str) -> dict[str, dict[str, int]]:
    """Per tarball basename: uncompressed bytes, regular files, layers."""
    path = os.path.join(cache, "growth-stats.json")
    stats: dict[str, dict[str, int]] = {}
    if os.path.exists(path):
        with open(path) as handle:
            stats = json.load(handle)
    changed = False
    big = os.path.join(cache, "big", "stats.json")
    ladder = os.path.join(cache, "ladder")
    if os.path.exists(big) and os.path.isdir(ladder):
        with open(big) as handle:
            layers = list(json.load(handle).values())
        for name in sorted(os.listdir(ladder)):
            if name.startswith("big-gzip-L") and name.endswith(".tar") and name not in stats:
                k = int(name[len("big-gzip-L"):-len(".tar")])
                stats[name] = {"bytes": sum(s["bytes"] for s in layers[:k]),
                               "files": sum(s["files"] for s in layers[:k]), "layers": k}
                changed = True
    blobs = os.path.join(cache, "bulk", "blobs")
    if os.path.isdir(blobs):
        for image in sorted(os.listdir(blobs)):
            name = image + ".tar"
            if name in stats:
                continue
            directory = os.path.join(blobs, image)
            sizes = [layer_stats(os.path.join(directory, blob)) for blob in sorted(os.listdir(directory))]
            stats[name] = {"bytes": sum(s[0] for s in sizes), "files": sum(s[1] for s in sizes),
                           "layers": len(sizes)}
            changed = True
    if changed:
        with open(path, "w") as handle:
            json.dump(stats, handle, indent=1, sort_keys=True)
    return stats


GNUPLOT = """
set terminal pngcairo size 1200,800 font ",10"
set output OUT
set datafile separator "\\t"
set key top left
set grid
set multiplot layout 2,2 title "imageaudit: cost against image size (medians; ladder = big-gzip cut after k layers)"
set xlabel "uncompressed layers (MB)"
set ylabel "wall time (s)"
plot DATA index 0 using ($2/1e6):3 with points pt 7 ps 0.8 title "bulk image", \\
     DATA index 1 using ($2/1e6):3 with linespoints pt 5 title "ladder"
set ylabel "peak RSS (MB)"
plot DATA index 0 using ($2/1e6):4 with points pt 7 ps 0.8 title "bulk image", \\
     DATA index 1 using ($2/1e6):4 with linespoints pt 5 title "ladder"
set xlabel "regular files in the layers"
set ylabel "wall time (s)"
plot DATA index 0 using 6:3 with points pt 7 ps 0.8 title "bulk image", \\
     DATA index 1 using 6:3 with linespoints pt 5 title "ladder"
set ylabel "peak RSS (MB)"
plot DATA index 0 using 6:4 with points pt 7 ps 0.8 title "bulk image", \\
     DATA index 1 using 6:4 with linespoints pt 5 title "ladder"
unset multiplot
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--cache", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", help="where to write the plotted numbers (default: OUT with .tsv)")
    options = parser.parse_args()
    runs: dict[str, list[tuple[float, int]]] = defaultdict(list)
    with open(options.results) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["subject"] == "growth":
                runs[row["tool"]].append((float(row["wall_s"]), int(row["rss_kb"])))
    if not runs:
        raise SystemExit("benchplot: no growth rows in " + options.results)
    stats = growth_stats(options.cache)
    data = options.data or os.path.splitext(options.out)[0] + ".tsv"
    # Two gnuplot data blocks (index 0: bulk images, index 1: the ladder), each by size.
    blocks: list[list[str]] = [[], []]
    for name in sorted(runs, key=lambda n: stats.get(n, {}).get("bytes", 0)):
        if name not in stats:
            continue
        wall = statistics.median(w for w, _ in runs[name])
        rss = statistics.median(r for _, r in runs[name]) / 1024
        ladder = 1 if name.startswith("big-gzip-L") else 0
        blocks[ladder].append(f"{name}\t{stats[name]['bytes']}\t{wall:.3f}\t{rss:.1f}\t{ladder}\t{stats[name]['files']}")
    with open(data, "w") as handle:
        handle.write("# tarball\tbytes\twall_s\trss_mb\tladder\tfiles\n")
        handle.write("\n\n\n".join("\n".join(block) for block in blocks) + "\n")
    script = f"OUT = {json.dumps(options.out)}\nDATA = {json.dumps(data)}\n" + GNUPLOT
    subprocess.run(["gnuplot"], input=script.encode(), check=True)
    print(f"{options.out} ({os.path.getsize(options.out) // 1024} KB), numbers in {data}")


if __name__ == "__main__":
    main()
