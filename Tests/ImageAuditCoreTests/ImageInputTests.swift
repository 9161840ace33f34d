import ImageAuditCore
import Testing

/// Transport names as skopeo spells them, and what looks like an image reference.
@Suite struct ImageInputTests {
    @Test("transports split the path from the reference at the first colon; plain paths stay paths")
    func transports() throws {
        let oci = try ImageInput(parsing: "oci:build/layout:latest")
        #expect(oci.transport == .oci && oci.path == "build/layout" && oci.reference == "latest")
        let archive = try ImageInput(parsing: "docker-archive:x.tar:registry.example/api:1.2")
        #expect(
            archive.transport == .dockerArchive && archive.path == "x.tar"
                && archive.reference == "registry.example/api:1.2")
        let dir = try ImageInput(parsing: "dir:out/a:b")
        #expect(dir.transport == .dir && dir.path == "out/a:b" && dir.reference == nil, "dir: has no reference")
        #expect(try ImageInput(parsing: "oci-archive:x.tar").reference == nil)
        #expect(try ImageInput(parsing: "image.tar").transport == nil)
        #expect(try ImageInput(parsing: "docker:alpine").transport == nil, "not a file transport: left as a path")
        #expect(throws: ImageReadError.self) { try ImageInput(parsing: "oci:") }
        #expect(throws: ImageReadError.self) { try ImageInput(parsing: "docker-archive:x.tar:@0") }
    }

    @Test("image references get the docker save hint; file names do not")
    func references() {
        for reference in ["my-api:latest", "nginx", "registry.example.com/team/api:1.2", "ghcr.io/o/r@sha256:ab"] {
            #expect(ImageInput.looksLikeImageReference(reference), "\(reference)")
        }
        for path in ["missing.tar", "image.tar.gz", "/abs/path", "./rel", "out.oci", "Some File", "a.b"] {
            #expect(!ImageInput.looksLikeImageReference(path), "\(path)")
        }
    }
}
