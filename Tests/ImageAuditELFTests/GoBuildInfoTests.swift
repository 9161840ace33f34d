import Foundation
import ImageAuditELF
import ImageAuditTestSupport
import Testing

/// The Go build information, compared with what `go version -m FILE` prints.
@Suite struct GoBuildInfoTests {
    @Test("a static Go binary records CGO_ENABLED=0 and its tags")
    func staticBinary() throws {
        let info = try #require(try parseFixture("go/static").goBuildInfo)
        // go version -m go/static (Go 1.19.8, as built by scripts/make-elf-fixtures.sh)
        #expect(info.goVersion == "go1.19.8")
        #expect(info.mainPackagePath == "example.com/fixture/gostatic")
        #expect(info.mainModule?.path == "example.com/fixture")
        #expect(info.mainModule?.version == "(devel)")
        #expect(info.cgoEnabled == false)
        #expect(info.goos == "linux")
        #expect(info.goarch == "amd64")
        #expect(info.tags == ["netgo"])
        #expect(
            info.goVersionOutput(file: "go/static") == """
                go/static: go1.19.8
                \tpath\texample.com/fixture/gostatic
                \tmod\texample.com/fixture\t(devel)\t
                \tbuild\t-compiler=gc
                \tbuild\t-tags=netgo
                \tbuild\t-trimpath=true
                \tbuild\tCGO_ENABLED=0
                \tbuild\tGOARCH=amd64
                \tbuild\tGOOS=linux
                \tbuild\tGOAMD64=v1

                """)
    }

    @Test("a cgo binary (externally linked) records CGO_ENABLED=1")
    func cgoBinary() throws {
        let file = try parseFixture("go/cgo")
        let info = try #require(file.goBuildInfo)
        // go version -m go/cgo: build CGO_ENABLED=1; readelf -d go/cgo: NEEDED [libc.so.6]
        #expect(info.cgoEnabled == true)
        #expect(info.tags.isEmpty)
        #expect(file.needed == ["libc.so.6"])
    }

    @Test("the output matches the go tool when it is installed", arguments: ["go/static", "go/cgo"])
    func matchesGoTool(name: String) throws {
        guard let go = Subprocess.find(["/usr/bin/go", "/usr/local/go/bin/go"]) else { return }  // no Go toolchain here
        let path = Fixtures.elfPath(name)
        let output = try Subprocess.run(
            go, ["version", "-m", path], environment: ["HOME": "/tmp", "GOCACHE": "/tmp/go-cache-imageaudit"])
        #expect(output.status == 0)
        let info = try #require(try parseFixture(name).goBuildInfo)
        #expect(info.goVersionOutput(file: path) == output.stdout)
    }

    @Test("C programs have no Go build information")
    func notGo() throws {
        #expect(try parseFixture("glibc/hello").goBuildInfo == nil)
    }

    @Test("quoted build settings are unquoted")
    func quotedSettings() {
        let info = GoBuildInfo(goVersion: "go1.22.0", moduleInfo: "path\tx\nbuild\t-ldflags=\"-s -w\"\n")
        #expect(info.setting("-ldflags") == "-s -w")
    }
}
