#!/usr/bin/env python3
"""Summarises scripts/bench.sh results as Markdown.

  benchreport.py inputs CACHE                     describe the benchmark inputs
  benchreport.py report RESULTS.tsv --cache CACHE [--imageaudit-status S] [--command C]

RESULTS.tsv columns: subject, tool, round, wall_s, rss_kb, rc, cpu_s (one row per measured run;
cpu_s is absent in results of older runs). Reported per subject and tool: the median wall time,
the median CPU seconds, the median peak RSS, the ratio of the median to the decompression
floor's median, and to imageaudit's median when it was measured; and imageaudit against the
work floor (both digests and the inflation, which no verifying reader can skip) on two cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import tarfile
from collections import defaultdict

ELF_MAGIC = b"\x7fELF"


def run(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "n/a"


def machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        memory_kb = int(handle.readline().split()[1])
    return [
        f"- machine: `nproc` = {os.cpu_count()}, {memory_kb // 1024} MiB memory, {cpu}",
        f"- system: {platform.platform()}",
    ]


def layer_stats(tar_path: str) -> dict[str, int]:
    """Counts entries, regular files, ELF files and whiteouts of one uncompressed layer tar."""
    stats = {"entries": 0, "files": 0, "elf": 0, "whiteouts": 0, "bytes": os.path.getsize(tar_path)}
    with tarfile.open(tar_path) as layer:
        for member in layer:
            stats["entries"] += 1
            if os.path.basename(member.name).startswith(".wh."):
                stats["whiteouts"] += 1
            if member.isreg():
                stats["files"] += 1
                if member.size >= 4:
                    handle = layer.extractfile(member)
                    if handle and handle.read(4) == ELF_MAGIC:
                        stats["elf"] += 1
    return stats


def big_stats(cache: str) -> dict[str, dict[str, int]]:
    path = os.path.join(cache, "big", "stats.json")
    tars = os.path.join(cache, "big", "tars")
    names = sorted(n for n in os.listdir(tars) if n.endswith(".tar"))
    if os.path.exists(path):
        with open(path) as handle:
            cached = json.load(handle)
        if sorted(cached) == names:
            return cached
    stats = {name: layer_stats(os.path.join(tars, name)) for name in names}
    with open(path, "w") as handle:
        json.dump(stats, handle, indent=1)
    return stats


def mb(size: float) -> str:
    return f"{size / 1e6:,.0f} MB"


def describe_inputs(cache: str) -> list[str]:
    lines = ["| input | tarball | layers | uncompressed | files | ELF files | whiteouts |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    if os.path.isdir(os.path.join(cache, "big", "tars")):
        stats = big_stats(cache)
        total = {key: sum(s[key] for s in stats.values()) for key in ("bytes", "files", "elf", "whiteouts")}
        for compression in ("gzip", "zstd"):
            tarball = os.path.join(cache, f"big-{compression}.tar")
            if os.path.exists(tarball):
                lines.append(f"| big-{compression}.tar | {mb(os.path.getsize(tarball))} | {len(stats)} {compression} | "
                             f"{mb(total['bytes'])} | {total['files']:,} | {total['elf']:,} | {total['whiteouts']} |")
        lines.append("")
        lines.append("Layers of the big image (uncompressed tar size, regular files, ELF files):")
        lines.append("")
        blobs = os.path.join(cache, "big-gzip.blobs")
        gz = sorted(os.listdir(blobs)) if os.path.isdir(blobs) else []
        for index, (name, s) in enumerate(stats.items()):
            gzip_size = f", gzip {mb(os.path.getsize(os.path.join(blobs, gz[index])))}" if index < len(gz) else ""
            lines.append(f"- `{name}`: {mb(s['bytes'])}{gzip_size}, {s['files']:,} files, {s['elf']:,} ELF, "
                         f"{s['whiteouts']} whiteouts")
        lines.append("")
    images = os.path.join(cache, "bulk", "images")
    if os.path.isdir(images):
        sizes = sorted(os.path.getsize(os.path.join(images, n)) for n in os.listdir(images) if n.endswith(".tar"))
        broken = [n for n in os.listdir(images) if n.endswith(".tar") and
                  any(d in n for d in ("missing", "not-executable"))]
        unreadable = [n for n in os.listdir(images) if "unreadable" in n]
        lines.append(f"Bulk set `bulk/images/`: {len(sizes)} tarballs, {mb(sum(sizes))} in all, each "
                     f"{mb(sizes[0])} to {mb(sizes[-1])} (median {mb(statistics.median(sizes))}); "
                     f"{len(broken)} with an entrypoint that cannot start, {len(unreadable)} unreadable.")
    return lines


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def cpus(runs: list[dict[str, str]]) -> float:
    return median([float(r["cpu_s"]) for r in runs if r.get("cpu_s")])


def work_floor(rows: dict, subject: str, walls: dict[str, float]) -> list[str]:
    """imageaudit against the work no verifying reader can skip, spread over two cores."""
    work = cpus(rows.get((subject, "work-floor"), []))
    tool = next((t for t in ("imageaudit", "imageaudit-jobs2") if t in walls), None)
    if work != work or tool is None:
        return []
    bound = work / 2
    cpu = cpus(rows[(subject, tool)])
    peers = [f"{walls[p] / bound:.1f}× {p}" for p in ("dive", "dive-per-file", "syft") if p in walls]
    return ["", f"Work floor (both SHA-256s and the inflation, `work-floor`): {work:.2f} s of CPU, so at least "
                f"{bound:.2f} s on two cores. `{tool}`: {cpu:.2f} s of CPU ({cpu / work:.2f}× the work), "
                f"{walls[tool]:.2f} s wall ({walls[tool] / bound:.2f}× the two-core bound)"
                + (f"; at that bound a reader would be at most {', '.join(peers)} faster" if peers else "") + "."]


def report(path: str, cache: str, status: str, command: str) -> list[str]:
    rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    with open(path) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows[(row["subject"], row["tool"])].append(row)
    venv = os.path.join(cache, "venv", "bin")
    lines = ["## Machine and tools", ""] + machine() + [
        f"- syft: {run([os.path.join(venv, 'syft'), 'version'])} "
        f"({run(['bash', '-c', f'{venv}/syft version | grep ^Version'])})",
        f"- dive: {run([os.path.join(venv, 'dive'), '--version'])}",
        f"- skopeo: {run(['skopeo', '--version'])}; umoci: {run(['umoci', '--version'])}; "
        f"lddtree: pax-utils {run(['dpkg-query', '-W', '-f=${Version}', 'pax-utils'])}",
        f"- gzip: {run(['gzip', '--version'])}; igzip (ISA-L): {run(['dpkg-query', '-W', '-f=${Version}', 'isal'])}; "
        f"zstd: {run(['zstd', '--version'])}",
        f"- reproduce: `{command}` (raw timings: `{os.path.relpath(path, cache)}` in the cache)",
        "",
    ]
    if status != "ok":
        lines += [f"**imageaudit is not measurable yet**: {status}", ""]
    lines += ["Floor: every layer blob through `gzip -dc` / `zstd -dc` (`cat` if uncompressed) to /dev/null,",
              "serially; `floor-isal` is the same with ISA-L's `igzip -dc`. `× floor` and `× imageaudit` divide",
              "medians. Each round runs every tool once, in the order listed; rounds repeat.", ""]
    # The growth runs (one per tarball) are drawn by benchplot.py, not tabulated.
    subjects = [subject for subject in dict.fromkeys(subject for subject, _ in rows) if subject != "growth"]
    for subject in subjects:
        tools = [tool for s, tool in rows if s == subject]
        walls = {tool: median([float(r["wall_s"]) for r in rows[(subject, tool)]]) for tool in tools}
        floor = walls.get("floor")
        audit = walls.get("imageaudit") or walls.get("imageaudit-jobs1")
        lines += [f"## {subject}", "",
                  "| tool | median wall | range | × floor | × imageaudit | median CPU | median peak RSS | runs | exit codes |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for tool in tools:
            runs = rows[(subject, tool)]
            rss = median([int(r["rss_kb"]) for r in runs]) / 1024
            codes = ",".join(sorted({r["rc"] for r in runs}))
            times = sorted(float(r["wall_s"]) for r in runs)
            vs_floor = f"{walls[tool] / floor:.2f}" if floor else "–"
            vs_audit = f"{walls[tool] / audit:.1f}" if audit else "–"
            cpu = cpus(runs)
            cpu_text = f"{cpu:.2f} s" if cpu == cpu else "–"
            lines.append(f"| {tool} | {walls[tool]:.2f} s | {times[0]:.2f}–{times[-1]:.2f} s | {vs_floor} | {vs_audit} | {cpu_text} | "
                         f"{rss:,.0f} MB | {len(runs)} | {codes} |")
        if subject == "ladder" and tools:
            peaks = [median([int(r["rss_kb"]) for r in rows[(subject, tool)]]) / 1024 for tool in tools]
            lines.append("")
            lines.append(f"Peak RSS as layers are added ({tools[0]} … {tools[-1]}): "
                         + ", ".join(f"{p:,.0f}" for p in peaks) + " MB")
        if "imageaudit-jobs1" in walls and "imageaudit-jobs2" in walls:
            lines.append("")
            lines.append(f"Bulk speed-up `--jobs 2` over `--jobs 1`: "
                         f"{walls['imageaudit-jobs1'] / walls['imageaudit-jobs2']:.2f}×")
        lines += work_floor(rows, subject, walls)
        if "dive-per-file" in walls and "imageaudit-jobs2" in walls:
            lines.append(f"`--jobs 2` against dive run once per tarball: "
                         f"{walls['dive-per-file'] / walls['imageaudit-jobs2']:.2f}× faster")
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    inputs = sub.add_parser("inputs")
    inputs.add_argument("cache")
    rep = sub.add_parser("report")
    rep.add_argument("results")
    rep.add_argument("--cache", required=True)
    rep.add_argument("--imageaudit-status", default="ok")
    rep.add_argument("--command", default="scripts/bench.sh")
    options = parser.parse_args()
    if options.mode == "inputs":
        print("\n".join(describe_inputs(options.cache)))
    else:
        lines = report(options.results, options.cache, options.imageaudit_status, options.command)
        lines += ["## Inputs", ""] + describe_inputs(options.cache)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
