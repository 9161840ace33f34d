import ImageAuditELF
import ImageAuditFS

/// Why the kernel would not start the interpreter.
struct InterpreterFailure: Error {
    let problem: LoaderProblem
}

extension DynamicLoader {
    /// The kernel's `load_elf_binary` on `PT_INTERP`: the path is opened like an executable
    /// (`open_exec`: found, regular, executable by the user), must be ELF for the program's machine
    /// and class (`ELIBBAD` otherwise) and `ET_DYN` or `ET_EXEC` (`EINVAL`). Messages as runc prints them.
    static func openInterpreter(
        _ path: String, for program: ProgramFile, files: ImageFiles, tree: FileTree, options: LoaderOptions
    ) -> Result<ProgramFile, InterpreterFailure> {
        let programPath = program.object.path
        func problem(_ kind: LoaderProblem.Kind, _ error: String, _ detail: String) -> Result<
            ProgramFile, InterpreterFailure
        > {
            .failure(
                InterpreterFailure(
                    problem: LoaderProblem(
                        kind: kind, severity: .fatal, object: programPath, subject: path,
                        message: "exec \(programPath): \(error)", detail: detail)))
        }
        let resolved: ResolvedPath
        switch tree.resolve(files.absolute(path), followFinalSymlink: true, as: options.credentials) {
        case .success(let result):
            resolved = result
        case .failure(.notFound), .failure(.notADirectory):
            return problem(
                .interpreterMissing, "no such file or directory",
                "the program's interpreter (PT_INTERP) \(path) does not exist in the image")
        case .failure(let error):
            return problem(
                .interpreterUnusable,
                error == .tooManySymlinks ? "too many levels of symbolic links" : "permission denied",
                "the interpreter \(path) cannot be opened (\(error.errno.rawValue))")
        }
        let attributes = tree.attributes(of: resolved.node)
        let user = options.credentials ?? .root
        guard attributes.type == .regular, user.mayExecute(attributes) else {
            return problem(
                .interpreterUnusable, "permission denied", "the interpreter \(path) is not an executable regular file")
        }
        let content = tree.content(of: resolved.node)
        guard case .success(let file)? = content?.elf else {
            return problem(
                .interpreterUnusable, "accessing a corrupted shared library",
                "the interpreter \(path) is not an ELF file")
        }
        let expected = program.object.platform
        guard ELFPlatform(file).machine == expected.machine, file.header.elfClass == expected.elfClass else {
            return problem(
                .interpreterUnusable, "accessing a corrupted shared library",
                "the interpreter \(path) is built for \(ELFPlatform(file)), the program for \(expected)")
        }
        guard file.header.type == .sharedObject || file.header.type == .executable else {
            return problem(
                .interpreterUnusable, "invalid argument",
                "the interpreter \(path) is not an executable or shared object")
        }
        let object = LoadedObject(
            path: path, resolvedPath: PathBytes.display(resolved.path), names: [path], soname: file.soname,
            loadedBy: nil,
            rule: nil, platform: ELFPlatform(file), isInterpreter: true)
        return .success(ProgramFile(object: object, file: file, node: resolved.node, content: content))
    }

    /// Which loader runs: what the interpreter file is (glibc's defines `GLIBC_*` versions; musl's
    /// is named `ld-musl-*` / `libc.musl-*` or exports `__libc_start_main` without versions), else
    /// what the `PT_INTERP` name says. Alpine's glibc compatibility links `ld-linux-x86-64.so.2`
    /// to musl, which then is the loader.
    static func flavor(interpreterPath: String, interpreter: ProgramFile?) -> LoaderKind {
        let base = ImagePath.basename
        if let interpreter {
            let file = interpreter.file
            if file.versionDefinitions.contains(where: { $0.name.hasPrefix("GLIBC_") }) { return .glibc }
            let names = [base(interpreter.object.resolvedPath), file.soname ?? ""]
            if names.contains(where: { $0.hasPrefix("ld-musl-") || $0.hasPrefix("libc.musl-") }) { return .musl }
            if file.versionDefinitions.isEmpty && MuslLoader.isAnotherLibc(file) { return .musl }
        }
        return base(interpreterPath).hasPrefix("ld-musl-") ? .musl : .glibc
    }

    /// The program against the image's platform: the kernel refuses another machine
    /// (`ENOEXEC`), and runs i386 on amd64 or arm on arm64 only with compatibility support.
    static func platformProblem(of platform: ELFPlatform, expected: ELFPlatform?, path: String) -> LoaderProblem? {
        guard let expected else { return nil }
        let (runs, compatibility) = expected.kernelRuns(platform)
        if runs && !compatibility { return nil }
        let detail = "the program is built for \(platform), the image platform is \(expected)"
        if runs {
            return LoaderProblem(
                kind: .wrongPlatform, severity: .warning, object: path, subject: platform.machine.description,
                message: "",
                detail: detail + "; it runs only where the kernel has \(platform.machine) compatibility support")
        }
        return LoaderProblem(
            kind: .wrongPlatform, severity: .fatal, object: path, subject: platform.machine.description,
            message: "exec \(path): exec format error", detail: detail)
    }
}
