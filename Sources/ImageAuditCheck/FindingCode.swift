/// The stable identifiers of what the audit can find. Documented in `docs/findings.md`;
/// codes are never renamed, only added.
public enum FindingCode: String, Sendable, Hashable, Codable, CaseIterable {
    case noEntrypoint = "no-entrypoint"
    case entrypointNotFound = "entrypoint-not-found"
    case notExecutable = "not-executable"
    case unknownUser = "unknown-user"
    case missingInterpreter = "missing-interpreter"
    case missingLibrary = "missing-library"
    case missingSymbolVersion = "missing-symbol-version"
    case missingSymbol = "missing-symbol"
    case wrongArchitecture = "wrong-architecture"
    case missingShebangInterpreter = "missing-shebang-interpreter"
    case healthcheckBroken = "healthcheck-broken"
}
