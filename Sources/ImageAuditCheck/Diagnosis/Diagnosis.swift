import ImageAuditELF
import ImageAuditFS

/// Turns what the model found into a finding: code, the one-sentence cause and the fixes.
struct Diagnosis {
    var identity: ImageIdentity
    var fixes: Fixes
    /// The argv of the process, to recognise shell form.
    var argv: [String]
    var user: String
    /// Directories glibc's ldconfig is told about (`/etc/ld.so.conf`, `/etc/ld.so.conf.d/*`).
    var ldConfigured: [String: String] = [:]

    func finding(for failure: StartFailure, check: String, severity: Severity) -> Finding {
        var (code, path, cause, fix) = explain(failure.problem)
        // Alternatives read "or …"; the first line stands alone.
        if let first = fix.first, first.hasPrefix("or ") { fix[0] = String(first.dropFirst(3)) }
        return Finding(
            code: code, severity: failure.stopsStart ? severity : .warning, check: check, path: path,
            message: failure.message, cause: cause, chain: failure.chain, fix: fix)
    }

    private typealias Explanation = (FindingCode, String, String, [String])

    private func explain(_ problem: StartProblem) -> Explanation {
        switch problem {
        case .noCommand:
            return (
                .noEntrypoint, "", "the image config has neither Entrypoint nor Cmd, and no command was given",
                [
                    "add ENTRYPOINT [\"/path/to/program\"] or CMD [\"/path/to/program\"] to the final stage of the Dockerfile"
                ]
            )
        case .unknownUser(let name):
            return (
                .unknownUser, "/etc/passwd", "User is \(name), but the image's /etc/passwd has no user \(name)",
                userFixes(
                    create: "adduser -D -H -u 10001 \(name)", debian: "useradd --uid 10001 --no-create-home \(name)")
            )
        case .unknownGroup(let name):
            return (
                .unknownUser, "/etc/group",
                "User names the group \(name), but the image's /etc/group has no group \(name)",
                userFixes(create: "addgroup -g 10001 \(name)", debian: "groupadd --gid 10001 \(name)")
            )
        case .commandNotFound(let name, _, let elsewhere):
            return commandNotFound(name, elsewhere: elsewhere)
        case .notExecutable(let path, let why):
            return (.notExecutable, path, notExecutableCause(path, why), notExecutableFixes(path, why))
        case .missingInterpreter(let program, let interpreter, let facts):
            let (cause, fix) = libcMismatch(program, interpreter: interpreter, facts: facts)
            return (.missingInterpreter, program, cause, fix)
        case .wrongArchitecture(let path, let facts, let platform):
            return wrongArchitecture(path, facts: facts, platform: platform)
        case .execFormat(let path, let why):
            return (
                .execFormatError, path,
                "\(path) is \(why), so the kernel cannot run it (runc does not fall back to a shell)",
                [
                    "make #!/bin/sh (or the right interpreter) the very first line of \(path)",
                    "or start it through its interpreter: ENTRYPOINT [\"/bin/sh\", \"\(path)\"]",
                ]
            )
        case .missingShebangInterpreter(let script, let interpreter, let crlf):
            return missingShebangInterpreter(script, interpreter: interpreter, crlf: crlf)
        case .envCommandNotFound(let script, let command, _):
            return envCommandNotFound(script, command: command)
        case .interpreterLoop(let scripts):
            return (
                .interpreterLoop, scripts.first ?? "",
                "the #! interpreters nest deeper than the kernel follows (\(scripts.joined(separator: " → ")))",
                ["point the #! line at a binary interpreter (e.g. #!/bin/sh), not at another script"]
            )
        case .link(let problem, let program, let facts, let libc, let elsewhere, let missingVersions):
            return LinkDiagnosis(
                identity: identity, fixes: fixes, configuredDirectories: ldConfigured, missingVersions: missingVersions
            )
            .explain(problem, program: program, facts: facts, libc: libc, elsewhere: elsewhere)
        case .kernelRefused(let path, let refusal):
            return kernelRefused(path, refusal)
        case .notAnalysed(let path, let why):
            return (
                .binaryNotAnalysed, path,
                "the audit could not analyse \(path) (\(why)); whether it starts is not known",
                []
            )
        case .startPath(let problem):
            return StartPathDiagnosis.explain(problem)
        }
    }

    private func userFixes(create alpine: String, debian: String) -> [String] {
        var lines: [String] = []
        switch fixes.identity.family {
        case .alpine: lines.append("create it in the image: RUN \(alpine)")
        case .debian where fixes.packages.manager == .dpkg && identity.distributionName != "Distroless":
            lines.append("create it in the image: RUN \(debian)")
        default: break
        }
        lines.append(
            "or use numeric ids, which need no entry: USER 10001:10001"
                + (identity.distributionName == "Distroless" ? " (distroless has nonroot = 65532)" : ""))
        return lines
    }

    private func commandNotFound(_ name: String, elsewhere: [String]) -> Explanation {
        let isShell = argv.count >= 2 && argv[0] == name && argv[1] == "-c" && name.hasSuffix("/sh")
        if isShell {
            return (
                .entrypointNotFound, name,
                "the command is in shell form, which Docker runs as \(name) -c \"…\", and this image has no \(name)",
                [
                    "use the exec form, which needs no shell: ENTRYPOINT [\"/app/program\", \"arg\"]",
                    "or use a base image that has a shell",
                ]
            )
        }
        var fix: [String] = []
        if let found = elsewhere.first {
            fix.append(
                name.contains("/")
                    ? "use the path where it is: [\"\(found)\"]"
                    : "use its absolute path [\"\(found)\"], or add \(ImagePath.dirname(found)) to PATH")
        }
        if name.contains("/") {
            let relative = !name.hasPrefix("/")
            let cause =
                relative
                ? "\(name) is resolved against WorkingDir, and there is no such file there"
                : "\(name) does not exist in the image"
            fix.append(
                relative
                    ? "set WORKDIR to the directory that holds it, or use an absolute path"
                    : "check the COPY destination in the final stage (a multi-stage build keeps only what COPY --from brings)"
            )
            return (.entrypointNotFound, name, cause, fix)
        }
        if let command = fixes.install(name) {
            fix.append("or install it: \(command) (if a package of that name provides it)")
        }
        return (.entrypointNotFound, name, "\(name) is not an executable file in any PATH directory of the image", fix)
    }

    private func notExecutableCause(_ path: String, _ why: NotExecutableReason) -> String {
        switch why {
        case .directory: return "\(path) is a directory, not a program"
        case .notRegular(let type): return "\(path) is a \(type.rawValue), not a regular file"
        case .noExecuteBit(let permissions, _, _, let user):
            return "\(path) has mode \(ExecModel.octal(permissions)), which gives uid \(user.uid) no execute permission"
        case .searchDenied(let directory, let user):
            return "uid \(user.uid) may not search \(directory), so it cannot reach \(path)"
        }
    }

    private func notExecutableFixes(_ path: String, _ why: NotExecutableReason) -> [String] {
        switch why {
        case .directory, .notRegular: return ["point the entrypoint at the program inside it"]
        case .noExecuteBit(_, let uid, _, let user):
            var lines = ["make it executable: COPY --chmod=0755 … or RUN chmod 0755 \(path)"]
            if user.uid != 0 && uid != user.uid {
                lines.append("or give it to the user: COPY --chown=\(user.uid):\(user.gid) …")
            }
            return lines
        case .searchDenied(let directory, _):
            return ["let the user search it: RUN chmod o+x \(directory) (or chown it to the user)"]
        }
    }

    private func wrongArchitecture(_ path: String, facts: ELFFacts, platform: String) -> Explanation {
        let built = facts.platformName ?? facts.fileDescription
        var fix = [
            "build it for \(platform): docker buildx build --platform \(platform); a stage FROM --platform=$BUILDPLATFORM"
                + " must cross-compile for $TARGETPLATFORM"
        ]
        if facts.go != nil, let arch = platform.split(separator: "/").dropFirst().first {
            fix.append("for Go: GOOS=linux GOARCH=\(arch) go build (GOARCH=$TARGETARCH in a buildx stage)")
        }
        fix.append("or, if the image is meant for \(built), give the image that platform")
        return (.wrongArchitecture, path, "\(path) is built for \(built), but the image's platform is \(platform)", fix)
    }

    private func missingShebangInterpreter(_ script: String, interpreter: String, crlf: Bool) -> Explanation {
        if crlf {
            return (
                .missingShebangInterpreter, script,
                "\(script) has Windows (CRLF) line endings, so the kernel looks for an interpreter named \"\(ExecModel.visible(interpreter))\"",
                [
                    "convert it to LF: RUN sed -i 's/\\r$//' \(script) (or dos2unix)",
                    "and keep it LF in git: add `*.sh text eol=lf` to .gitattributes",
                ]
            )
        }
        var fix: [String] = []
        let name = ImagePath.basename(interpreter)
        if let command = fixes.install(name) { fix.append("install it: \(command)") }
        fix.append("or change the #! line to an interpreter the image has (#!/bin/sh for POSIX scripts)")
        return (
            .missingShebangInterpreter, script,
            "\(script) starts with #!\(interpreter), which this image does not have", fix
        )
    }

    private func envCommandNotFound(_ script: String, command: String) -> Explanation {
        if command.hasSuffix("\r") {
            return (
                .missingShebangInterpreter, script,
                "\(script) has Windows (CRLF) line endings, so env looks for a program named \"\(ExecModel.visible(command))\"",
                ["convert it to LF: RUN sed -i 's/\\r$//' \(script) (or dos2unix)"]
            )
        }
        var fix: [String] = []
        let package = [
            "python3": "python3", "python": "python3", "node": "nodejs", "bash": "bash", "perl": "perl", "ruby": "ruby",
        ][command]
        if let package, let line = fixes.install(package) { fix.append("install it: \(line)") }
        fix.append("or change the #! line to a program the image has, or add its directory to PATH")
        return (
            .missingShebangInterpreter, script,
            "\(script) runs \(command) through /usr/bin/env, and no PATH directory of the image has \(command)", fix
        )
    }
}
