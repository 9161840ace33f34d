import Foundation
import ImageAuditTestSupport
import Testing

/// Fixes fit the image, on the built CLI (issue 14, item 8): the real distroless base of
/// TestImages/distroless-go-cgo (dpkg's status.d, no dpkg, no apt) with one more layer holding
/// a program that needs libssl.so.3: the fix copies from the build stage, never apt-get.
@Suite struct FixesFitCLITests {
    let scratch: CIScratch

    init() throws { scratch = try CIScratch() }

    /// Adds a layer with `file` at `name` to an OCI layout tarball: new config, manifest, index.
    static let addLayer = """
        import hashlib, io, json, sys, tarfile
        source, program, name, out = sys.argv[1:5]
        t = tarfile.open(source)
        index = json.load(t.extractfile("index.json"))
        blob = lambda d: t.extractfile("blobs/sha256/" + d.split(":")[1]).read()
        manifest = json.loads(blob(index["manifests"][0]["digest"]))
        config = json.loads(blob(manifest["config"]["digest"]))
        layer = io.BytesIO()
        with tarfile.open(fileobj=layer, mode="w", format=tarfile.USTAR_FORMAT) as lt:
            data = open(program, "rb").read()
            info = tarfile.TarInfo(name); info.size = len(data); info.mode = 0o755
            lt.addfile(info, io.BytesIO(data))
        layer = layer.getvalue()
        sha = lambda b: "sha256:" + hashlib.sha256(b).hexdigest()
        config["rootfs"]["diff_ids"].append(sha(layer))
        config_bytes = json.dumps(config).encode()
        manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha(layer), "size": len(layer)})
        manifest["config"] = {"mediaType": manifest["config"]["mediaType"], "digest": sha(config_bytes), "size": len(config_bytes)}
        manifest_bytes = json.dumps(manifest).encode()
        index["manifests"][0].update({"digest": sha(manifest_bytes), "size": len(manifest_bytes)})
        with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as o:
            for member in t.getmembers():
                if member.name != "index.json":
                    o.addfile(member, t.extractfile(member) if member.isfile() else None)
            for data, path in [(layer, None), (config_bytes, None), (manifest_bytes, None), (json.dumps(index).encode(), "index.json")]:
                info = tarfile.TarInfo(path or "blobs/sha256/" + sha(data).split(":")[1]); info.size = len(data)
                o.addfile(info, io.BytesIO(data))
        """

    @Test("distroless + a program needing libssl.so.3: copy it from the build stage or another variant, no apt-get")
    func distroless() throws {
        var program = ELFBuilder()
        program.type = 2
        program.interpreter = "/lib64/ld-linux-x86-64.so.2"
        program.needed = ["libssl.so.3", "libc.so.6"]
        let programPath = try scratch.write("needs-ssl", "")
        try Data(program.build()).write(to: URL(fileURLWithPath: programPath))
        let image = scratch.path("distroless-ssl.tar")
        let made = try CIScratch.python(
            Self.addLayer, [CIScratch.image("distroless-go-cgo"), programPath, "app/needs-ssl", image])
        #expect(made.status == 0, "\(made.stderrText)")
        let result = try BuiltCLI.run([image, "--entrypoint", "/app/needs-ssl", "-o", "json"])
        #expect(result.status == 1, "\(result.stderrText)")
        let entry = try #require((try CIScratch.json(result.stdoutText)["images"] as? [[String: Any]])?.first)
        let finding = try #require((entry["findings"] as? [[String: Any]])?.first)
        #expect(finding["code"] as? String == "missing-library")
        let fixes = finding["fix"] as? [String] ?? []
        #expect(!fixes.joined().contains("apt-get"), "\(fixes)")
        #expect(
            fixes.first?.hasPrefix("copy it (package libssl3 on the build stage's distribution)") == true, "\(fixes)")
        #expect(fixes.last?.hasPrefix("or build on the distroless variant that has it") == true, "\(fixes)")
    }
}
