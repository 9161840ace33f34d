import ImageAuditELF
import ImageAuditFS
import ImageAuditLoader

extension LibraryTree {
    /// A Python extension module is not started by `ld.so FILE` but `dlopen`ed by its interpreter:
    /// when a Python on PATH (or in /usr/bin, /usr/local/bin) has the module's directory on its
    /// `sys.path`, the tree is that of `dlopen(module, RTLD_NOW)` after the interpreter started.
    /// Returns false when no interpreter claims the file (it is then shown as a library).
    static func pythonModule(
        _ tree: inout LibraryTree, absolute: String, image: ImageUnderAudit, process: ContainerProcess,
        credentials: Credentials
    ) -> Bool {
        let name = ImagePath.basename(absolute)
        guard name.hasSuffix(".so"), let stem = name.split(separator: ".").first,
            ModuleImports.isIdentifier(String(stem)),
            let real = try? image.tree.resolve(absolute).get()
        else { return false }
        let realPath = PathBytes.display(real.path)
        var env: [String: String] = [:]
        for entry in process.environment.entries {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if env[String(parts[0])] == nil { env[String(parts[0])] = parts.count > 1 ? String(parts[1]) : "" }
        }
        let home = env["HOME"] ?? PythonModuleAudit.home(of: credentials.uid, in: image.tree)
        let candidates = (process.environment.pathDirectories + ["/usr/local/bin", "/usr/bin"]).flatMap { dir in
            ["python3", "python"].map { ImagePath.join(PyPath.absolute(dir, in: process.workingDir), $0) }
        }
        var seen: Set<String> = []
        for python in candidates where seen.insert(python).inserted && image.tree.node(at: python) != nil {
            guard
                case .success(let sysPath) = PythonSysPath.compute(
                    in: image.tree, interpreter: python, environment: env, home: home,
                    workingDirectory: process.workingDir),
                let entry = sysPath.entries.first(where: { entry in
                    // Importable from the entry: the module's directories below it are packages.
                    guard entry.origin != .workingDirectory else { return false }
                    let dir =
                        (try? image.tree.resolve(entry.path).get()).map { PathBytes.display($0.path) } ?? entry.path
                    guard realPath.hasPrefix(dir == "/" ? "/" : dir + "/") else { return false }
                    let below = realPath.dropFirst(dir == "/" ? 1 : dir.count + 1).split(separator: "/").dropLast()
                    return below.allSatisfy { ModuleImports.isIdentifier(String($0)) }
                })
            else { continue }
            let packages = PackageDatabase(tree: image.tree)
            let identity = ImageIdentity(tree: image.tree, packages: packages)
            let loading = ModuleLoading(
                tree: image.tree, interpreter: python, environment: env, workingDirectory: process.workingDir,
                credentials: credentials.uid == 0 ? nil : credentials,
                muslVersion: identity.libc == .musl ? identity.libcVersion : nil)
            let report = loading.report(absolute)
            tree.loader = report.loader.rawValue
            tree.interpreter = Interpreter(
                path: python, resolvedPath: (try? image.tree.resolve(python).get()).map { PathBytes.display($0.path) },
                source: "Python interpreter (dlopen)",
                glibcVersion: report.glibc?.version.map { $0.map(String.init).joined(separator: ".") },
                defaultDirectories: report.glibc?.systemDirectories)
            if let index = report.objects.firstIndex(where: { $0.path == absolute && $0.loadedBy == 0 }) {
                tree.dependencies = nodes(of: index, in: report)
            }
            tree.notes.append(
                "a Python extension module on \(python)'s sys.path (\(entry.path)): loaded with dlopen(RTLD_NOW) after"
                    + " the interpreter started; libraries it has loaded are reused by SONAME, then the module's own"
                    + " RPATH/RUNPATH ($ORIGIN is \(ImagePath.dirname(absolute))), LD_LIBRARY_PATH, /etc/ld.so.cache and"
                    + " the default directories")
            if let failure = loading.check(absolute) {
                let finding = ModuleFindings(
                    fixes: Fixes(identity: identity, packages: packages), identity: identity, interpreter: python
                ).finding(for: failure, module: absolute, name: nil, via: [], check: "tree", severity: .error)
                tree.problems.append(
                    Problem(
                        severity: "error", kind: FindingCode.moduleWillNotLoad.rawValue, object: failure.neededBy,
                        subject: absolute, message: finding.message, cause: finding.cause, fixes: finding.fix))
                tree.wouldLoad = false
            }
            return true
        }
        return false
    }
}
