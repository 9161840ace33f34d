import Foundation
import ImageAuditTestSupport
import Testing

/// Every image layout as input (issue 14, item 9): OCI layout directories, skopeo's dir:
/// layout, transport prefixes, layouts inside an export tree, the hint for image references.
/// The layouts are written by the real tools: tar (a TestImages tarball is an OCI layout) and skopeo.
@Suite struct LayoutInputTests {
    let scratch: CIScratch
    /// musl-missing-library: an OCI layout tarball whose one image, ref name `latest`, fails.
    let image = CIScratch.image("musl-missing-library")

    init() throws { scratch = try CIScratch() }

    private func ociDirectory(_ name: String) throws -> String {
        let directory = scratch.path(name)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let result = try ExternalTools.run("/bin/tar", ["-xf", image, "-C", directory])
        #expect(result.status == 0, "\(result.stderrText)")
        return directory
    }

    private static let hasSkopeo = (try? ExternalTools.path(of: "skopeo")) != nil

    private func skopeoDirectory(_ name: String) throws -> String {
        let directory = scratch.path(name)
        let result = try ExternalTools.run(
            try ExternalTools.path(of: "skopeo"), ["copy", "-q", "oci-archive:\(image)", "dir:\(directory)"])
        #expect(result.status == 0, "\(result.stderrText)")
        return directory
    }

    private func verdicts(_ arguments: [String]) throws -> (
        status: Int32, sources: [String], verdicts: [String], errors: String
    ) {
        let result = try BuiltCLI.run(arguments + ["-o", "json"])
        let images = try #require(try CIScratch.json(result.stdoutText)["images"] as? [[String: Any]])
        return (
            result.status, images.map { $0["source"] as? String ?? "" }, images.map { $0["verdict"] as? String ?? "" },
            result.stderrText
        )
    }

    @Test("an OCI layout directory is one image, with or without oci:, and oci:DIR:REF chooses by ref name")
    func ociLayout() throws {
        let directory = try ociDirectory("layout")
        let plain = try verdicts([directory])
        #expect(plain.status == 1 && plain.sources == [directory] && plain.verdicts == ["fail"], "\(plain.errors)")
        let prefixed = try verdicts(["oci:\(directory):latest"])
        #expect(prefixed.sources == ["oci:\(directory):latest"] && prefixed.verdicts == ["fail"], "\(prefixed.errors)")
        let wrong = try BuiltCLI.run(["oci:\(directory):nope"])
        #expect(wrong.status == 2 && wrong.stderrText.contains("no image named nope"))
        let inspect = try BuiltCLI.run(["inspect", directory])
        #expect(inspect.status == 0 && inspect.stdoutText.contains("oci-layout"), "\(inspect.stderrText)")
        let tree = try BuiltCLI.run(["tree", directory, "/usr/local/bin/app"])
        #expect(tree.status == 1 && tree.stdoutText.contains("libfoo.so.1"), "\(tree.stderrText)")
    }

    @Test("skopeo's dir: layout is one image, named or with dir:", .enabled(if: hasSkopeo, "needs skopeo"))
    func skopeoDir() throws {
        let directory = try skopeoDirectory("skopeo-dir")
        let plain = try verdicts([directory])
        #expect(plain.status == 1 && plain.verdicts == ["fail"], "\(plain.errors)")
        #expect(try verdicts(["dir:\(directory)"]).verdicts == ["fail"])
        let json = try CIScratch.json(try BuiltCLI.run([directory, "-o", "json"]).stdoutText)
        let entry = try #require((json["images"] as? [[String: Any]])?.first)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json"))
        let digest = try CIScratch.python(
            "import hashlib,sys; print('sha256:' + hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
            [directory + "/manifest.json"]
        ).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!manifest.isEmpty && entry["manifestDigest"] as? String == digest)
    }

    @Test("oci-archive: and docker-archive:PATH:NAME read tarballs; a wrong transport is one line, status 2")
    func archives() throws {
        #expect(try verdicts(["oci-archive:\(image)"]).verdicts == ["fail"])
        let saved = CIScratch.image("scratch-static")
        let names = try CIScratch.python(
            "import json,sys,tarfile; print(json.load(tarfile.open(sys.argv[1]).extractfile('manifest.json'))[0]['RepoTags'][0])",
            [saved]
        ).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try verdicts(["docker-archive:\(saved):\(names)"]).verdicts == ["pass"])
        let directory = try ociDirectory("for-archive")
        let wrong = try BuiltCLI.run(["docker-archive:\(directory)"])
        #expect(wrong.status == 2)
        #expect(
            wrong.stderrText
                == "error: docker-archive:\(directory): is a directory, but docker-archive: takes a tarball\n")
    }

    @Test(
        "a bulk walk takes layout directories found in an export tree as one input each",
        .enabled(if: hasSkopeo, "needs skopeo"))
    func exportTree() throws {
        let oci = try ociDirectory("export/team/api-oci")
        let dir = try skopeoDirectory("export/team/api:latest")
        let tarball = try scratch.copy("scratch-static", as: "export/other/static.tar")
        let run = try verdicts([scratch.path("export")])
        #expect(run.status == 1, "\(run.errors)")
        #expect(run.sources == [tarball, oci, dir], "sorted by path bytes")
        #expect(run.verdicts == ["pass", "fail", "fail"])
    }

    @Test(
        "an image reference that is not a file gets the docker:// and docker save hint; a plain folder says what it lacks"
    )
    func hints() throws {
        let result = try BuiltCLI.run(["my-api:latest"])
        #expect(result.status == 2)
        #expect(
            result.stderrText == "error: my-api:latest: no such file or directory; for an image in a registry give"
                + " docker://my-api:latest, for one in docker: docker save my-api:latest | imageaudit -\n")
        let missing = try BuiltCLI.run([scratch.path("missing.tar")])
        #expect(missing.stderrText == "error: \(scratch.path("missing.tar")): no such file or directory\n")
        let empty = scratch.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let inspect = try BuiltCLI.run(["inspect", empty])
        #expect(inspect.status == 2 && inspect.stderrText.contains("is a directory without an image layout"))
    }
}
