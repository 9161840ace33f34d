import Foundation
import Testing

@testable import ImageAuditRegistry

@Suite struct RegistryReferenceTests {
    @Test func tagsDigestsRepositoriesAndCatalogs() throws {
        let tagged = try RegistryReference(parsing: "docker://127.0.0.1:5000/team/api:1.2")
        #expect(tagged.host == "127.0.0.1:5000")
        #expect(tagged.repository == "team/api")
        #expect(tagged.target == .tag("1.2"))
        #expect(tagged.shardKey == "team/api:1.2")
        #expect(tagged.description == "docker://127.0.0.1:5000/team/api:1.2")
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let pinned = try RegistryReference(parsing: "registry:ghcr.io/o/r:ignored@\(digest)")
        #expect(pinned.target == .digest(digest))
        #expect(pinned.repository == "o/r")
        #expect(try RegistryReference(parsing: "docker://localhost:5000/app").target == .repository)
        #expect(try RegistryReference(parsing: "docker://registry.example.com/").target == .catalog)
        #expect(try RegistryReference(parsing: "docker://localhost:5000/").target == .catalog)
        let hub = try RegistryReference(parsing: "docker://alpine:3.20")
        #expect(hub.host == "docker.io")
        #expect(hub.repository == "library/alpine")
        #expect(hub.apiHost == "registry-1.docker.io")
    }

    @Test func badReferencesAreRefused() {
        for bad in [
            "docker://", "docker://host.io/UPPER:1", "docker://host.io/a:-bad", "docker://host.io/a@sha256:12",
            "docker://host.io/a//b:1", "docker://ho st/a:1",
        ] {
            #expect(throws: RegistryError.self, "\(bad)") { try RegistryReference(parsing: bad) }
        }
        #expect(!RegistryReference.isReference("image.tar"))
        #expect(RegistryReference.isReference("registry:host/a:1"))
    }

    @Test func challenges() throws {
        let bearer = try #require(
            AuthChallenge(
                header:
                    #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#
            ))
        #expect(bearer.scheme == "bearer")
        #expect(bearer.parameters["realm"] == "https://auth.example.com/token")
        #expect(bearer.parameters["service"] == "registry.example.com")
        #expect(bearer.parameters["scope"] == "repository:a/b:pull")
        let basic = try #require(AuthChallenge(header: #"Basic realm="x""#))
        #expect(basic.scheme == "basic")
        #expect(AuthChallenge(header: "") == nil)
    }

    @Test func linkPagination() {
        #expect(RegistryListing.next(#"</v2/_catalog?last=b&n=2>; rel="next""#) == "/v2/_catalog?last=b&n=2")
        #expect(
            RegistryListing.next(#"<https://r.example.com/v2/a/tags/list?last=v9&n=100>; rel="next""#)
                == "/v2/a/tags/list?last=v9&n=100")
        #expect(RegistryListing.next(#"</v2/x>; rel="prev""#) == nil)
    }

    @Test func credentialsFromAuthFilesAndFlags() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ia-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("auth.json")
        let encoded = Data("u:p:with:colons".utf8).base64EncodedString()
        try
            #"{"auths":{"https://index.docker.io/v1/":{"auth":"\#(encoded)"},"r.example.com:5000":{"username":"x","password":"y"}}}"#
            .write(to: file, atomically: true, encoding: .utf8)
        var options = RegistryOptions()
        options.environment = ["REGISTRY_AUTH_FILE": file.path]
        let store = CredentialStore(options: options)
        #expect(try store.credential(for: "docker.io") == Credential(user: "u", password: "p:with:colons"))
        #expect(try store.credential(for: "r.example.com:5000") == Credential(user: "x", password: "y"))
        #expect(try store.credential(for: "other.example.com") == nil)
        #expect("\(try #require(try store.credential(for: "docker.io")))" == "u:***")
        options.credentials = "flag:pw"
        #expect(
            try CredentialStore(options: options).credential(for: "any") == Credential(user: "flag", password: "pw"))
        options.credentials = nil
        options.authFile = directory.appendingPathComponent("missing.json").path
        #expect(throws: RegistryError.self) { try CredentialStore(options: options).credential(for: "docker.io") }
    }
}
