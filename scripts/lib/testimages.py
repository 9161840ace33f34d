#!/usr/bin/env python3
"""The TestImages: what each image holds and which config it runs.

Called by scripts/make-test-images.sh after it has unpacked the Debian packages into
WORK/pkgs/<suite>-<arch>-<package>/ and compiled the programs into WORK/bin/. The images are
defined by family in images_<family>.py (shared layers and the @image registry in
images_base.py); every image is written with imagewriter.write_image. `intent` is what the image
was made to show. It is only documentation: TestImages/expected.tsv holds what the oracle
(scripts/oracle.sh) observed.

  testimages.py --work DIR --out DIR      build every image (removes stale *.tar in --out)
  testimages.py --list                    name, format, arch, intent, what (tab-separated)
  testimages.py --readme README           rewrite README's table (between its markers) from
                                          these definitions, the tarballs and expected.tsv
  testimages.py --live --work DIR --out DIR   build the images kept out of TestImages
                                          (images_interp.LIVE: scripts/make-live-images.sh)

A new family of images is one new module images_<family>.py plus its line in FAMILIES.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import tarfile

sys.dont_write_bytecode = True  # no __pycache__ next to the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import images_base  # noqa: E402
from images_base import IMAGES  # noqa: E402
from imagewriter import write_image  # noqa: E402

# The families of images; importing one registers its images (in this order).
FAMILIES = [
    "images_exec",
    "images_shebang",
    "images_users",
    "images_glibc",
    "images_musl",
    "images_layouts",
    "images_elfcapture",
    "images_elfkernel",
    "images_startpath",
    "images_natives",
    "images_verdict",
    "images_natives2",
    "images_interp",
]
for family in FAMILIES:
    importlib.import_module(family)


def layer_summary(path, fmt):
    """How the tarball stores its layers, read back from the tarball itself."""
    with tarfile.open(path) as tf:
        def load(name):
            return json.load(tf.extractfile(name))
        if fmt in ("docker", "kaniko", "ggcr"):
            layers = load("manifest.json")[0]["Layers"]
            kinds = ["gzip" if n.endswith(".gz") else "plain" for n in layers]
        else:
            index = load("index.json")
            manifest = load("blobs/sha256/" + index["manifests"][0]["digest"].split(":")[1])
            while "manifests" in manifest:  # a nested index: its first manifest
                manifest = load("blobs/sha256/" + manifest["manifests"][0]["digest"].split(":")[1])
            kinds = [{"tar": "plain"}.get(d["mediaType"].rsplit(".", 1)[-1].split("+")[-1], d["mediaType"].split("+")[-1])
                     for d in manifest["layers"]]
    return ", ".join(kinds)


FORMAT_NAMES = {"docker": "docker save (Docker <= 24)", "docker25": "docker save (Docker >= 25, OCI layout)",
                "kaniko": "kaniko tarball", "oci": "OCI archive",
                "oci-multi": "OCI archive, several manifests", "ggcr": "go-containerregistry tarball"}
BEGIN, END = "<!-- images:begin -->", "<!-- images:end -->"


def readme(path):
    """Rewrites the table between BEGIN and END in README `path`."""
    out_dir = os.path.dirname(os.path.abspath(path))
    expected = {}
    tsv = os.path.join(out_dir, "expected.tsv")
    if os.path.exists(tsv):
        with open(tsv) as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    name, verdict, code, message, hc, _ = (line.rstrip("\n").split("\t") + ["-", "-"])[:6]
                    expected[name] = (verdict, code, message, hc)
    rows = ["| image | what it shows | format (arch): layers | verdict | code | oracle message | healthcheck |",
            "|---|---|---|---|---|---|---|"]
    # Passing images first, then failing ones, each by name: the table does not depend on
    # the order the families are imported in.
    for im in sorted(IMAGES, key=lambda im: (im["intent"] != "pass", im["name"])):
        tar = os.path.join(out_dir, im["name"] + ".tar")
        layers = layer_summary(tar, im["fmt"]) if os.path.exists(tar) else "(not built)"
        verdict, code, message, hc = expected.get(im["name"], ("?", "?", "(oracle not run)", "?"))
        intended = im["intent"] if im["intent"] == "pass" else im["intent"].split(":", 1)
        observed = verdict if verdict == "pass" else ["fail", code]
        note = "" if intended == observed or verdict == "?" else f" (made to show {im['intent']})"
        what = im["what"].replace("|", "\\|")
        rows.append(f"| `{im['name']}` | {what} | {FORMAT_NAMES[im['fmt']]} ({im['arch']}): {layers} "
                    f"| {verdict}{note} | `{code}` | `{message.replace('|', '/')}` | {hc} |")
    with open(path) as f:
        text = f.read()
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    with open(path, "w") as f:
        f.write(text[:start] + "\n" + "\n".join(rows) + "\n" + text[end:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work")
    ap.add_argument("--out")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--readme")
    ap.add_argument("--only", action="append", help="build only these images")
    ap.add_argument("--live", action="store_true", help="the live images (images_interp.LIVE)")
    args = ap.parse_args()
    images = importlib.import_module("images_interp").LIVE if args.live else IMAGES
    if args.list:
        for im in images:
            print("\t".join([im["name"], im["fmt"], im["arch"], im["intent"], im["what"]]))
        return
    if args.readme:
        readme(args.readme)
        return
    images_base.WORK = os.path.abspath(args.work)
    names = [im["name"] for im in images]
    for im in images:
        if args.only and im["name"] not in args.only:
            continue
        built = im["build"]()
        out = os.path.join(args.out, im["name"] + ".tar")
        if callable(built):  # a family that lays out its own tarball (images_layouts.py)
            built(out)
        else:
            layers, cfg = built
            write_image(out, f"imageaudit-test/{im['name']}:latest", layers, cfg, fmt=im["fmt"],
                        arch=im["arch"], variant="v8" if im["arch"] == "arm64" else None)
        print(f"{im['name']}.tar\t{os.path.getsize(out)}", file=sys.stderr)
    if not args.only:
        for f in sorted(os.listdir(args.out)):
            if f.endswith(".tar") and f[:-4] not in names:
                print(f"removing stale {f}", file=sys.stderr)
                os.unlink(os.path.join(args.out, f))


if __name__ == "__main__":
    main()
