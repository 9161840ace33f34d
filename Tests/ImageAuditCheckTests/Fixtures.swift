import ImageAuditCheck
import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader
import ImageAuditOCI

/// Builds in-memory images for the audit rules.
enum Fixture {
    static let elfMagic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]

    /// A regular file holding `text`, kept as a real read keeps it under ``Auditor/requirements``.
    static func file(_ path: String, _ text: String, mode: UInt32 = 0o755, uid: UInt32 = 0, gid: UInt32 = 0)
        -> LayerEntry
    {
        LayerEntry(
            path, .regular, permissions: mode, uid: uid, gid: gid, size: Int64(text.utf8.count),
            content: FileContent.kept(
                Array(text.utf8), at: PathBytes.lexicallyCleaned(Array(path.utf8)), under: Auditor.requirements))
    }

    /// An ELF file (its facts come from ``FakeLoading``).
    static func elf(_ path: String, mode: UInt32 = 0o755, uid: UInt32 = 0) -> LayerEntry {
        LayerEntry(path, .regular, permissions: mode, uid: uid, size: 4096, content: FileContent(head: elfMagic))
    }

    /// A configuration file (passwd, os-release, package databases), mode 0644: kept whole only
    /// if ``Auditor/requirements`` asks for it, as on a real read.
    static func data(_ path: String, _ text: String) -> LayerEntry {
        file(path, text, mode: 0o644)
    }

    static func symlink(_ path: String, _ target: String) -> LayerEntry {
        LayerEntry(path, .symlink(target: Array(target.utf8)))
    }

    static func directory(_ path: String, mode: UInt32 = 0o755, uid: UInt32 = 0) -> LayerEntry {
        LayerEntry(path, .directory, permissions: mode, uid: uid)
    }

    static func image(
        _ entries: [LayerEntry], entrypoint: [String]? = nil, cmd: [String]? = nil, user: String? = nil,
        env: [String]? = nil, workingDir: String? = nil, healthcheck: [String]? = nil, architecture: String = "amd64"
    ) -> ImageUnderAudit {
        var tree = FileTree()
        tree.apply(entries)
        let runtime = RuntimeConfig(
            user: user, env: env, entrypoint: entrypoint, cmd: cmd, workingDir: workingDir,
            healthcheck: healthcheck.map { Healthcheck(test: $0) })
        return ImageUnderAudit(
            source: "test.tar", names: ["example:test"],
            config: ImageConfig(architecture: architecture, os: "linux", config: runtime), tree: tree)
    }

    // MARK: - Bases

    /// A busybox-style base: /bin/busybox (static ELF) and its applet links.
    static let busybox: [LayerEntry] = [
        elf("bin/busybox"), symlink("bin/sh", "busybox"), symlink("usr/bin/env", "/bin/busybox"),
        symlink("bin/ls", "busybox"),
    ]

    /// Alpine-like: musl's loader, busybox, os-release, apk database.
    static let alpine: [LayerEntry] =
        busybox + [
            elf("lib/ld-musl-x86_64.so.1"), elf("sbin/apk"),
            data(
                "etc/os-release",
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"),
            data(
                "lib/apk/db/installed",
                "P:musl\nV:1.2.5-r0\nF:lib\nR:ld-musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r29\nF:bin\nR:busybox\n"),
            data("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n"),
            data("etc/group", "root:x:0:root\nnogroup:x:65533:\n"),
        ]

    /// Debian-like: glibc's loader and libc in the multiarch directory, dpkg status.
    static func debian(release: String = "12", codename: String = "bookworm", glibc: String = "2.36-9+deb12u7")
        -> [LayerEntry]
    {
        [
            symlink("lib", "usr/lib"), symlink("lib64", "usr/lib64"), symlink("bin", "usr/bin"),
            elf("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), elf("usr/lib/x86_64-linux-gnu/libc.so.6"),
            symlink("usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
            elf("usr/bin/dash"), symlink("usr/bin/sh", "dash"), elf("usr/bin/env"), elf("usr/bin/apt-get"),
            data(
                "etc/os-release",
                "PRETTY_NAME=\"Debian GNU/Linux \(release) (\(codename))\"\nID=debian\nVERSION_ID=\"\(release)\"\n"),
            data(
                "var/lib/dpkg/status",
                "Package: libc6\nStatus: install ok installed\nVersion: \(glibc)\n\nPackage: dash\nStatus: install ok installed\nVersion: 0.5.12-2\n"
            ),
            data("etc/passwd", "root:x:0:0:root:/root:/bin/bash\napp:x:1000:1000::/home/app:/bin/sh\n"),
            data("etc/group", "root:x:0:\napp:x:1000:\nstaff:x:50:app\n"),
        ]
    }
}

extension ELFFacts {
    static let glibcAMD64 = ELFFacts(
        machine: 62, is64Bit: true, interpreter: "/lib64/ld-linux-x86-64.so.2", needed: ["libc.so.6"])
    static let muslAMD64 = ELFFacts(
        machine: 62, is64Bit: true, interpreter: "/lib/ld-musl-x86_64.so.1", needed: ["libc.musl-x86_64.so.1"])
    static let staticAMD64 = ELFFacts(machine: 62, is64Bit: true)
    static let loaderAMD64 = ELFFacts(machine: 62, is64Bit: true)
}

/// The ELF reader and loader, replaced by what each test states: facts per resolved path and
/// the loader's problems per program. Files with ELF magic and no facts are static amd64.
struct FakeLoading: ProgramLoading {
    var facts: [String: ELFFacts] = [:]
    var problems: [String: [LinkProblem]] = [:]
    var libc: LibC = .glibc
    /// Paths the reader "could not analyse", with why.
    var unanalysed: [String: String] = [:]

    func inspect(_ content: FileContent?, at path: String) -> ELFInspection {
        guard let content, content.head.starts(with: Fixture.elfMagic.prefix(4)) else { return .notELF }
        if let why = unanalysed[path] { return .notAnalysed(why) }
        return .facts(facts[path] ?? .staticAMD64)
    }

    func link(program: String, facts: ELFFacts, argv0: String, interpreter: String, context: LinkContext) -> LinkOutcome
    {
        LinkOutcome(libc: libc, problems: problems[program] ?? [])
    }
}

extension AuditResult {
    /// The findings of one check.
    func findings(_ check: String = "entrypoint") -> [Finding] { findings.filter { $0.check == check } }
}

func audit(_ image: ImageUnderAudit, _ loading: FakeLoading = FakeLoading(), options: AuditOptions = AuditOptions())
    -> AuditResult
{
    Auditor(loading: loading).audit(image, options: options)
}
