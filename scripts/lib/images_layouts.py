"""TestImages family "layouts": image tarballs as other tools lay them out (issue 11, section 3).

OCI layouts that hold more than images (cosign signatures and attestations, an SBOM referrer,
a Helm chart, buildx attestation manifests), several tagged images in one layout, and a
go-containerregistry-style docker archive whose config is not named by its digest.

Debian 12 packages neither cosign, oras nor regctl (and go-containerregistry only as Go
source), so these manifests are written here to the published formats: the OCI image-spec
1.1 (artifactType, the empty descriptor, subject), cosign's SIGNATURE_SPEC.md and
ATTESTATION_SPEC.md (simple-signing and DSSE layers in manifests tagged sha256-<hex>.sig/.att),
buildkit's attestation-storage.md (unknown/unknown manifests with vnd.docker.reference.*
annotations), Helm's OCI media types, and go-containerregistry's tarball.Write
(config sha256:<hex>, layers <hex>.tar.gz). Signatures are placeholders: nothing here signs,
and imageaudit verifies no signature.

Each builder returns a function that writes the tarball (testimages.main calls it with the
output path); the formats "oci-multi" and "ggcr" are named in testimages.FORMAT_NAMES.
"""

from __future__ import annotations

import base64
import io
import tarfile

from images_base import app, binary, config, image
from imagewriter import (MT_OCI_CONFIG, MT_OCI_INDEX, MT_OCI_LAYER, MT_OCI_MANIFEST, Blob, _write_members,
                         canonical_json, compress, sha256)
from imagewriter import image_config as _image_config

MT_EMPTY = "application/vnd.oci.empty.v1+json"
MT_COSIGN_SIG = "application/vnd.dev.cosign.simplesigning.v1+json"
MT_DSSE = "application/vnd.dsse.envelope.v1+json"
MT_INTOTO = "application/vnd.in-toto+json"
MT_SPDX = "application/spdx+json"
MT_HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
MT_HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
REF = "org.opencontainers.image.ref.name"


def image_config(layers, diff_ids, arch, cfg):
    return _image_config([layer.comment for layer in layers], diff_ids, arch, cfg)


def oci_manifest(config_desc, layer_descs) -> bytes:
    return canonical_json({"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST,
                           "config": config_desc, "layers": layer_descs})


def _outer_tar(files: dict[str, bytes], path):
    """The image tarball: sorted members, mtime 0, root-owned (imagewriter's TestImages style)."""
    _write_members(path, {name: Blob.of(data) for name, data in files.items()}, sort=True)


class Layout:
    """An OCI image layout being written: blobs by digest, then index.json."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.index: list[dict] = []

    def blob(self, data: bytes, media_type: str, **extra) -> dict:
        self.files[f"blobs/sha256/{sha256(data)}"] = data
        return {"mediaType": media_type, "digest": f"sha256:{sha256(data)}", "size": len(data), **extra}

    def image(self, layers, cfg, arch="amd64", platform=True) -> dict:
        """An image manifest (layers gzip-compressed as their Layer says); its descriptor."""
        tars = [layer.tar() for layer in layers]
        descs = [self.blob(compress(t, layer.compression), MT_OCI_LAYER[layer.compression])
                 for layer, t in zip(layers, tars)]
        config_desc = self.blob(image_config(layers, [sha256(t) for t in tars], arch, cfg), MT_OCI_CONFIG)
        desc = self.blob(oci_manifest(config_desc, descs), MT_OCI_MANIFEST)
        if platform:
            desc["platform"] = {"architecture": arch, "os": "linux"}
        return desc

    def manifest(self, config_desc, layer_descs, artifact_type=None, subject=None, annotations=None) -> dict:
        doc = {"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST}
        if artifact_type:
            doc["artifactType"] = artifact_type
        doc["config"] = config_desc
        doc["layers"] = layer_descs
        if subject:
            doc["subject"] = {k: subject[k] for k in ("mediaType", "digest", "size")}
        if annotations:
            doc["annotations"] = annotations
        return self.blob(canonical_json(doc), MT_OCI_MANIFEST)

    def nested_index(self, manifests) -> dict:
        return self.blob(canonical_json({"schemaVersion": 2, "mediaType": MT_OCI_INDEX, "manifests": manifests}),
                         MT_OCI_INDEX)

    def write(self, path):
        self.files["index.json"] = canonical_json({"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
                                                   "manifests": self.index})
        self.files["oci-layout"] = canonical_json({"imageLayoutVersion": "1.0.0"})
        _outer_tar(self.files, path)


def tagged(desc, name, **annotations):
    return {**desc, "annotations": {**annotations, REF: name}}


def cosign_config(payload_digest) -> bytes:
    """The image config cosign writes for its signature and attestation manifests."""
    return canonical_json({"architecture": "", "created": "0001-01-01T00:00:00Z",
                           "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "",
                           "rootfs": {"type": "layers", "diff_ids": [payload_digest]}, "config": {}})


def placeholder_signature(data: bytes) -> str:
    return base64.b64encode(bytes.fromhex(sha256(b"placeholder signature:" + data)) * 2).decode()


def cosign_signature(out: Layout, subject: dict, reference: str) -> dict:
    """A cosign signature manifest (tag sha256-<hex>.sig) over the image manifest `subject`."""
    payload = canonical_json({"critical": {"identity": {"docker-reference": reference},
                                           "image": {"docker-manifest-digest": subject["digest"]},
                                           "type": "cosign container image signature"}, "optional": None})
    layer = out.blob(payload, MT_COSIGN_SIG,
                     annotations={"dev.cosignproject.cosign/signature": placeholder_signature(payload)})
    cfg = out.blob(cosign_config(layer["digest"]), MT_OCI_CONFIG)
    return out.manifest(cfg, [layer])


def in_toto_statement(subject: dict, name: str, predicate_type: str, predicate: dict) -> bytes:
    return canonical_json({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": predicate_type,
                           "subject": [{"name": name, "digest": {"sha256": subject["digest"][7:]}}],
                           "predicate": predicate})


def provenance(builder="https://github.com/docker/buildx"):
    return {"builder": {"id": builder}, "buildType": "https://mobyproject.org/buildkit@v1",
            "metadata": {"buildStartedOn": "1970-01-01T00:00:00Z", "completeness": {"environment": True}}}


def cosign_attestation(out: Layout, subject: dict, reference: str) -> dict:
    """A cosign attestation manifest (tag sha256-<hex>.att): a DSSE envelope of in-toto."""
    statement = in_toto_statement(subject, reference, "https://slsa.dev/provenance/v0.2", provenance())
    envelope = canonical_json({"payloadType": MT_INTOTO, "payload": base64.b64encode(statement).decode(),
                               "signatures": [{"keyid": "", "sig": placeholder_signature(statement)}]})
    layer = out.blob(envelope, MT_DSSE, annotations={"dev.cosignproject.cosign/signature": "",
                                                     "predicateType": "https://slsa.dev/provenance/v0.2"})
    cfg = out.blob(cosign_config(layer["digest"]), MT_OCI_CONFIG)
    return out.manifest(cfg, [layer])


def spdx_referrer(out: Layout, subject: dict, name: str) -> dict:
    """An SBOM attached as an OCI 1.1 referrer (what `oras attach --artifact-type` writes)."""
    sbom = canonical_json({"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
                           "name": name, "packages": [{"name": "hello", "SPDXID": "SPDXRef-hello",
                                                       "downloadLocation": "NOASSERTION"}]})
    layer = out.blob(sbom, MT_SPDX, annotations={"org.opencontainers.image.title": "sbom.spdx.json"})
    desc = out.manifest(out.blob(b"{}", MT_EMPTY), [layer], artifact_type=MT_SPDX, subject=subject,
                        annotations={"org.opencontainers.image.created": "1970-01-01T00:00:00Z"})
    return {**desc, "artifactType": MT_SPDX}


def helm_chart(out: Layout, name: str, version: str) -> dict:
    """A Helm chart as `helm push` stores it: a chart config and the chart's .tgz."""
    chart_yaml = f"apiVersion: v2\nname: {name}\nversion: {version}\ntype: application\n".encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        info = tarfile.TarInfo(f"{name}/Chart.yaml")
        info.size, info.mtime, info.mode = len(chart_yaml), 0, 0o644
        tf.addfile(info, io.BytesIO(chart_yaml))
    cfg = out.blob(canonical_json({"name": name, "version": version, "apiVersion": "v2", "type": "application"}),
                   MT_HELM_CONFIG)
    return out.manifest(cfg, [out.blob(compress(buf.getvalue(), "gzip"), MT_HELM_CHART)])


def hello(path="hello", compression="gzip"):
    return app(f"COPY hello /{path}", compression).copy(path, binary("hello-static"))


@image("layout-cosign-signed", "oci-multi", "pass",
       "OCI layout as cosign and oras leave it: the image (tag latest), its cosign signature "
       "(tag sha256-<hex>.sig, simple-signing layer), cosign attestation (sha256-<hex>.att, DSSE "
       "envelope) and an SPDX SBOM referrer (artifactType, empty config, subject)")
def _():
    out = Layout()
    img = out.image([hello()], config(entrypoint=["/hello"], env=()), platform=False)
    tag = "sha256-" + img["digest"][7:]
    out.index = [tagged(img, "latest"),
                 tagged(cosign_signature(out, img, "imageaudit-test/layout-cosign-signed"), tag + ".sig"),
                 tagged(cosign_attestation(out, img, "imageaudit-test/layout-cosign-signed"), tag + ".att"),
                 spdx_referrer(out, img, "imageaudit-test/layout-cosign-signed")]
    return out.write


@image("layout-buildx-attestations", "oci-multi", "fail:missing-interpreter",
       "buildx --output type=oci of linux/amd64 and linux/arm64 with provenance: a nested index "
       "with an attestation manifest (unknown/unknown, in-toto layer) per platform; the amd64 "
       "image is a glibc program in scratch")
def _():
    out = Layout()
    amd = out.image([app("COPY hello /hello").copy("hello", binary("hello-glibc"))],
                    config(entrypoint=["/hello"]))
    arm = out.image([app("COPY README").file("README", "arm64 variant\n")], config(entrypoint=["/hello"]),
                    arch="arm64")
    manifests = [amd, arm]
    for subject, arch in ((amd, "amd64"), (arm, "arm64")):
        name = f"pkg:docker/imageaudit-test/layout-buildx-attestations@latest?platform=linux%2F{arch}"
        statement = in_toto_statement(subject, name, "https://slsa.dev/provenance/v0.2", provenance())
        layer = out.blob(statement, MT_INTOTO,
                         annotations={"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"})
        cfg = out.blob(canonical_json({"architecture": "unknown", "os": "unknown", "config": {},
                                       "rootfs": {"type": "layers", "diff_ids": [layer["digest"]]}}),
                       MT_OCI_CONFIG)
        att = out.manifest(cfg, [layer])
        manifests.append({**att, "annotations": {"vnd.docker.reference.digest": subject["digest"],
                                                 "vnd.docker.reference.type": "attestation-manifest"},
                          "platform": {"architecture": "unknown", "os": "unknown"}})
    out.index = [tagged(out.nested_index(manifests), "latest",
                        **{"io.containerd.image.name": "docker.io/imageaudit-test/layout-buildx-attestations:latest"})]
    return out.write


@image("layout-two-tags", "oci-multi", "pass",
       "one OCI layout, three tags (one org.opencontainers.image.ref.name each): v1 (/hello), v2 "
       "(/opt/hello, another image) and a Helm chart; skopeo needs a tag, the oracle takes v1")
def _():
    out = Layout()
    v1 = out.image([hello()], config(entrypoint=["/hello"], env=()), platform=False)
    v2 = out.image([hello("opt/hello")], config(entrypoint=["/opt/hello"], env=()), platform=False)
    out.index = [tagged(v1, "v1"), tagged(v2, "v2"), tagged(helm_chart(out, "demo", "0.1.0"), "chart-0.1.0")]
    return out.write


@image("ggcr-config-not-digest", "ggcr", "pass",
       "go-containerregistry tarball layout (config sha256:<hex>, layers <hex>.tar.gz) whose config "
       "was edited after it was named: the name is not its digest; docker load and skopeo read it")
def _():
    layers = [hello()]
    tars = [layer.tar() for layer in layers]
    diff_ids = [sha256(t) for t in tars]
    named = image_config(layers, diff_ids, "amd64", config(entrypoint=["/hello"], env=()))
    edited = image_config(layers, diff_ids, "amd64", config(entrypoint=["/hello"], env=("HELLO=1",)))
    files = {f"sha256:{sha256(named)}": edited}
    names = []
    for t in tars:
        blob = compress(t, "gzip")
        names.append(f"{sha256(blob)}.tar.gz")
        files[names[-1]] = blob
    files["manifest.json"] = canonical_json([{"Config": f"sha256:{sha256(named)}",
                                              "RepoTags": ["imageaudit-test/ggcr-config-not-digest:latest"],
                                              "Layers": names}])

    def write(path):
        _outer_tar(files, path)
    return write

