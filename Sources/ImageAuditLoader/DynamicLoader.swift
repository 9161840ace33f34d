import ImageAuditELF
import ImageAuditFS

/// The program or the interpreter, opened and parsed, ready to be object 0 or 1.
struct ProgramFile {
    let object: LoadedObject
    let file: ELFFile
    let node: FileTree.NodeID
    let content: FileContent?
}

/// Models what happens between `execve` and `main`: the kernel's interpreter checks, then the
/// glibc or musl loader (chosen by the interpreter the program names) loading every `DT_NEEDED`
/// from the image, checking symbol versions and binding symbols.
public enum DynamicLoader {
    /// Loads `path` inside `tree`.
    /// - Parameters:
    ///   - path: the program as the container executes it (absolute, or relative to the working directory).
    ///   - tree: the image's merged filesystem.
    ///   - options: environment, user, working directory, CPU and platform.
    public static func load(program path: String, in tree: FileTree, options: LoaderOptions = LoaderOptions())
        -> LoadReport
    {
        var session = LoaderSession(tree: tree, options: options)
        return session.load(program: path)
    }
}

/// Loads several programs of one image with the same options, reading the image's
/// `/etc/ld.so.cache` and each glibc `ld.so` only once.
public struct LoaderSession: Sendable {
    public let tree: FileTree
    public let options: LoaderOptions
    private var caches: [ELFDataEncoding: (cache: LDSOCache?, note: String?)] = [:]
    private var installations: [FileTree.NodeID: GlibcInstallation] = [:]

    public init(tree: FileTree, options: LoaderOptions = LoaderOptions()) {
        self.tree = tree
        self.options = options
    }

    /// Models starting `path` (see ``DynamicLoader/load(program:in:options:)``).
    public mutating func load(program path: String) -> LoadReport {
        let (tree, options) = (self.tree, self.options)
        let files = ImageFiles(tree: tree, credentials: options.credentials, workingDirectory: options.workingDirectory)
        let argv0 = options.argv0 ?? path
        var state = LoadState()
        func finish(_ loader: LoaderKind, interpreter: String? = nil) -> LoadReport {
            state.report(program: path, loader: loader, interpreter: interpreter, glibc: nil)
        }
        guard case .success(let opened) = files.open(path), let file = opened.elf else {
            state.problems.append(
                LoaderProblem(
                    kind: .incomplete, severity: .note, object: path, subject: path, message: "",
                    detail: "\(path) is not an ELF file that could be read"))
            return finish(.none)
        }
        let program = ProgramFile(
            object: LoadedObject(
                path: path, resolvedPath: opened.resolvedPath, names: [], soname: file.soname, loadedBy: nil, rule: nil,
                platform: ELFPlatform(file), isInterpreter: false),
            file: file, node: opened.node, content: opened.content)
        if let problem = DynamicLoader.platformProblem(
            of: program.object.platform, expected: options.platform, path: path)
        {
            state.problems.append(problem)
        }
        let explicitLoader = file.linkage == .sharedObject ? options.explicitLoader : nil
        guard let interpreterPath = file.interpreter ?? explicitLoader else {
            _ = state.append(program.object, file: file, node: opened.node)
            return finish(.none)
        }
        let interpreter: ProgramFile
        switch DynamicLoader.openInterpreter(interpreterPath, for: program, files: files, tree: tree, options: options)
        {
        case .success(let opened):
            interpreter = opened
        case .failure(let failure):
            _ = state.append(program.object, file: file, node: opened.node)
            state.problems.append(failure.problem)
            return finish(
                DynamicLoader.flavor(interpreterPath: interpreterPath, interpreter: nil), interpreter: interpreterPath)
        }
        let platform = program.object.platform
        let bindNow = options.environment["LD_BIND_NOW"].map { !$0.isEmpty } ?? false
        switch DynamicLoader.flavor(interpreterPath: interpreterPath, interpreter: interpreter) {
        case .musl:
            var loader = MuslLoader(
                files: files, options: options, platform: platform, executablePath: path, loaderName: interpreterPath)
            loader.load(program: program, interpreter: interpreter)
            loader.state.checkSymbols(
                loader: .musl, bindNowEnvironment: true, argv0: argv0, displayName: loader.displayName)
            loader.state.checkCompleteness(displayName: loader.displayName)
            state = loader.state
            if let note = loader.systemPath?.note {
                state.problems.append(
                    LoaderProblem(
                        kind: .incomplete, severity: .note, object: path, subject: "musl path file", message: "",
                        detail: note))
            }
            return state.report(program: path, loader: .musl, interpreter: interpreterPath, glibc: nil)
        case .glibc, .none:
            let installation =
                installations[interpreter.node]
                ?? interpreter.content?.data.flatMap {
                    GlibcInstallation(loaderBytes: $0, fileName: ImagePath.basename(interpreter.object.resolvedPath))
                }
                ?? GlibcInstallation.assumed(for: platform, in: tree)
            installations[interpreter.node] = installation
            let cache = caches[platform.dataEncoding] ?? DynamicLoader.readCache(files: files, platform: platform)
            caches[platform.dataEncoding] = cache
            var loader = GlibcLoader(
                files: files, options: options, platform: platform, installation: installation, cache: cache.cache,
                argv0: argv0)
            loader.load(program: program, interpreter: interpreter)
            loader.state.checkVersions(argv0: argv0, displayName: loader.displayName)
            loader.state.checkSymbols(
                loader: .glibc, bindNowEnvironment: bindNow, argv0: argv0, displayName: loader.displayName)
            loader.state.checkCompleteness(displayName: loader.displayName)
            state = loader.state
            if let note = cache.note {
                state.problems.append(
                    LoaderProblem(
                        kind: .incomplete, severity: .note, object: path, subject: "/etc/ld.so.cache", message: "",
                        detail: note))
            }
            return state.report(program: path, loader: .glibc, interpreter: interpreterPath, glibc: installation)
        }
    }

}

extension DynamicLoader {
    /// `/etc/ld.so.cache` from the image: absent is normal (nothing cached), unreadable is noted.
    static func readCache(files: ImageFiles, platform: ELFPlatform) -> (cache: LDSOCache?, note: String?) {
        guard case .success(let opened) = files.open("/etc/ld.so.cache") else { return (nil, nil) }
        guard let data = opened.content?.data else {
            return (nil, "/etc/ld.so.cache exists but its content was not kept; cache lookups were skipped")
        }
        do {
            return (try LDSOCache(parsing: data, bigEndian: platform.dataEncoding == .bigEndian), nil)
        } catch {
            return (nil, "/etc/ld.so.cache is not in a format glibc reads (\(error)); glibc ignores it too")
        }
    }
}
