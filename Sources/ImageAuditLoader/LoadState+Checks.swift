import ImageAuditELF

extension LoadState {
    /// The object that answers `file` for `index`: what its `DT_NEEDED` of that name resolved to,
    /// else any loaded object known by that name or SONAME.
    func provider(of file: String, for index: Int) -> Int? {
        if let position = files[index].needed.firstIndex(of: file), position < answers[index].count,
            let answer = answers[index][position]
        {
            return answer
        }
        return objects.firstIndex { $0.names.contains(file) || $0.soname == file }
    }

    /// glibc's `_dl_check_all_versions`: every `DT_VERNEED` version must be in the provider's
    /// `DT_VERDEF`. Objects in load order, as glibc walks them.
    mutating func checkVersions(argv0: String, displayName: (Int) -> String) {
        for index in objects.indices {
            for need in files[index].versionNeeds {
                guard let provider = provider(of: need.file, for: index) else { continue }
                let providerFile = files[provider]
                let providerName = displayName(provider)
                if providerFile.versionDefinitions.isEmpty {
                    if !providerFile.issues.isEmpty { continue }
                    let message =
                        "\(argv0): \(providerName): no version information available (required by \(displayName(index)))"
                    problems.append(
                        LoaderProblem(
                            kind: .versionWarning, severity: .warning, object: displayName(index), subject: need.file,
                            message: message,
                            detail: "\(need.file) defines no symbol versions; it may be a different build"))
                    continue
                }
                let defined = Set(providerFile.versionDefinitions.map(\.name))
                for version in need.versions where !defined.contains(version.name) {
                    let family = VersionName.split(version.name).family
                    let highest = providerFile.highestDefinedVersion(prefix: String(family))
                    let provides =
                        highest.map { "\(need.file) provides up to \($0)" }
                        ?? "\(need.file) defines no \(family)* version"
                    let detail =
                        "\(version.name) needed by \(displayName(index)) from \(need.file) (\(objects[provider].resolvedPath)); \(provides)"
                    let quote = version.isWeak ? "weak version" : "version"
                    problems.append(
                        LoaderProblem(
                            kind: version.isWeak ? .versionWarning : .versionNotFound,
                            severity: version.isWeak ? .warning : .fatal,
                            object: displayName(index), subject: version.name,
                            message:
                                "\(argv0): \(providerName): \(quote) `\(version.name)' not found (required by \(displayName(index)))",
                            detail: detail))
                }
            }
        }
    }

    /// Undefined symbols that no other loaded object defines. glibc binds at start what
    /// relocations other than PLT slots use, and PLT slots too under BIND_NOW (of the object, or
    /// `LD_BIND_NOW`); the rest fails only when called. musl binds everything at start and
    /// ignores versions. Checked in relocation order: glibc last-loaded first and the program
    /// last; musl the libraries in load order, then the program.
    mutating func checkSymbols(
        loader: LoaderKind, bindNowEnvironment: Bool, argv0: String, displayName: (Int) -> String
    ) {
        // With a symbol table unread, a definition may be in it: no symbol is called missing
        // (checkCompleteness reports the object instead).
        guard files.allSatisfy(\.symbols.isComplete) else { return }
        let order: [Int] = loader == .musl ? Array(objects.indices.dropFirst()) + [0] : objects.indices.reversed()
        for index in order where !(loader == .glibc && objects[index].isInterpreter) {
            for symbol in files[index].symbols.undefined where !symbol.isWeak && symbol.reference != .unused {
                let found = files.indices.contains { other in
                    other != index && files[other].symbols.defines(symbol, checkingVersions: loader == .glibc)
                }
                guard !found else { continue }
                let lazy =
                    loader == .glibc && symbol.reference == .lazy && !bindNowEnvironment
                    && files[index].dynamic?.bindNow != true
                let message: String
                if loader == .musl {
                    message = "Error relocating \(displayName(index)): \(symbol.name): symbol not found"
                } else {
                    let version = symbol.version.map { ", version \($0)" } ?? ""
                    message =
                        "\(argv0): symbol lookup error: \(displayName(index)): undefined symbol: \(symbol.name)\(version)"
                }
                let source = symbol.versionFile.map { " (expected from \($0))" } ?? ""
                let when = lazy ? "bound lazily: the program starts and fails when it first calls it" : "bound at start"
                let detail =
                    "\(symbol.name)\(symbol.version.map { "@\($0)" } ?? "")\(source) is defined by no loaded object; \(when)"
                problems.append(
                    LoaderProblem(
                        kind: lazy ? .undefinedSymbolLazy : .undefinedSymbol,
                        severity: lazy ? .warning : .fatal, object: displayName(index), subject: symbol.name,
                        message: message, detail: detail))
            }
        }
    }
}
