import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// docker's credential helper protocol (`credsStore`, `credHelpers` in config.json): run
/// `docker-credential-NAME get` with the server URL on standard input; it answers
/// `{"ServerURL": …, "Username": …, "Secret": …}`, or exits non-zero saying
/// `credentials not found in native keychain`. A `Username` of `<token>` means the secret is an
/// identity token (an OAuth refresh token), not a password. The helper gets a bounded time and
/// output size; its output never reaches a message (it holds the secret).
struct CredentialHelper {
    let name: String
    let environment: [String: String]

    static let timeout: Double = 30
    static let outputLimit = 1 << 20

    var command: String { "docker-credential-\(name)" }

    /// The credential for `serverURL`; nil when the helper has none for it.
    func credential(for serverURL: String) throws(RegistryError) -> Credential? {
        guard !name.isEmpty, !name.contains("/") else {
            throw RegistryError("credential helper '\(name)': not a helper name")
        }
        guard let executable = Self.find(command, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw RegistryError("credential helper \(command): not found on PATH")
        }
        let (status, output) = try run(executable, input: serverURL)
        if status != 0 {
            if String(decoding: output, as: UTF8.self).contains("credentials not found") { return nil }
            throw RegistryError("credential helper \(command) failed (exit \(status))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(output)) as? [String: Any],
            let user = object["Username"] as? String, let secret = object["Secret"] as? String
        else { throw RegistryError("credential helper \(command): its answer is not {\"Username\", \"Secret\"} JSON") }
        if user.isEmpty && secret.isEmpty { return nil }
        if user == Credential.identityTokenUser { return Credential(identityToken: secret) }
        guard !user.isEmpty else { throw RegistryError("credential helper \(command) gave no Username") }
        return Credential(user: user, password: secret)
    }

    /// Runs the helper: its exit status and standard output, killed past the time or size allowed.
    /// Its output is read here, with `poll`, while it runs: a helper that writes much never
    /// blocks on a full pipe, and one that never closes its output still ends at the deadline.
    private func run(_ executable: String, input: String) throws(RegistryError) -> (Int32, [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["get"]
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw RegistryError("credential helper \(command): cannot run it")
        }
        let pid = process.processIdentifier
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(Self.timeout)
        let fd = stdout.fileHandleForReading.fileDescriptor
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else {
                kill(pid, SIGKILL)
                throw RegistryError("credential helper \(command): no answer after \(Int(Self.timeout)) s")
            }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000))
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            guard output.count + count <= Self.outputLimit else {
                kill(pid, SIGKILL)
                throw RegistryError("credential helper \(command): its answer is over \(Self.outputLimit) bytes")
            }
            output += buffer[..<count]
        }
        if exited.wait(timeout: .now() + max(deadline.timeIntervalSinceNow, 0)) == .timedOut {
            kill(pid, SIGKILL)
            throw RegistryError("credential helper \(command): no answer after \(Int(Self.timeout)) s")
        }
        return (process.terminationStatus, output)
    }

    static func find(_ command: String, path: String) -> String? {
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
