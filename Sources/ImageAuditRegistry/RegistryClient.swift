import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The distribution API's HTTP side: one kept `HTTPClient` per set of options, the token and
/// basic auth flows, redirects to blob storage (followed here so that credentials never go to
/// another host), and retries of 429 and 5xx with backoff and `Retry-After`. Blocking calls:
/// the reader's worker threads wait on them, while the client's event loops do the I/O.
final class RegistryClient: Sendable {
    let options: RegistryOptions
    private let http: HTTPClient
    private let credentials: CredentialStore
    /// `host scope` → the `Authorization` value that worked (never printed).
    private let authorizations = Mutex<[String: String]>([:])
    /// Each host's credential once looked up (a credential helper runs once per host, not per scope).
    private let knownCredentials = Mutex<[String: Credential?]>([:])
    /// Loopback hosts that answered plain HTTP.
    private let plainHosts = Mutex<Set<String>>([])
    /// Loopback hosts that did not.
    private let tlsHosts = Mutex<Set<String>>([])

    private static let clients = Mutex<[RegistryOptions: RegistryClient]>([:])

    /// The client for these options, made once per process (its event loops are shared).
    static func shared(_ options: RegistryOptions) throws(RegistryError) -> RegistryClient {
        // Made under the lock: a client made twice would have to be shut down, not dropped.
        try clients.withLock { (clients) throws(RegistryError) -> RegistryClient in
            if let existing = clients[options] { return existing }
            let client = try RegistryClient(options: options)
            clients[options] = client
            return client
        }
    }

    private init(options: RegistryOptions) throws(RegistryError) {
        self.options = options
        credentials = CredentialStore(options: options)
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try Self.tls(options)
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(15), read: .seconds(120))
        configuration.decompression = .disabled
        // A refused connection fails now, into the backoff of ``get``: the pool's own retries
        // would hold each request for the whole connect timeout (a registry that died mid-blob).
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// System CAs plus `SSL_CERT_FILE` and `--cert-dir`'s `*.crt`; its `*.cert` and `*.key`
    /// as a client certificate; no checks at all with `--tls-verify=false`.
    private static func tls(_ options: RegistryOptions) throws(RegistryError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !options.verifyTLS { tls.certificateVerification = .none }
        var roots: [NIOSSLAdditionalTrustRoots] = []
        if let file = options.caFile {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw RegistryError("SSL_CERT_FILE \(file): cannot read it")
            }
            roots.append(.file(file))
        }
        if let directory = options.certDirectory {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                throw RegistryError("--cert-dir \(directory): cannot read the directory")
            }
            for name in names.sorted() where name.hasSuffix(".crt") { roots.append(.file(directory + "/" + name)) }
            if let cert = names.sorted().first(where: { $0.hasSuffix(".cert") }) {
                let key = String(cert.dropLast(".cert".count)) + ".key"
                guard names.contains(key) else {
                    throw RegistryError("--cert-dir \(directory): \(cert) has no \(key) beside it")
                }
                do {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(directory + "/" + cert).map {
                        .certificate($0)
                    }
                } catch {
                    throw RegistryError("--cert-dir \(directory)/\(cert): not a PEM certificate")
                }
                do {
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: directory + "/" + key, format: .pem))
                } catch {
                    throw RegistryError("--cert-dir \(directory)/\(key): not a PEM private key")
                }
            }
        }
        tls.additionalTrustRoots = roots
        return tls
    }

    /// A response the caller reads; its status is 2xx or an error it reports.
    struct Response {
        var head: HTTPResponseHead
        var body: ResponseStream

        var status: Int { Int(head.status.code) }
        func header(_ name: String) -> String? { head.headers.first(name: name) }
    }

    /// GET `path` (`/v2/…`) on the reference's registry, authorised for `scope`.
    func get(
        _ path: String, on reference: RegistryReference, scope: String, headers: [(String, String)] = []
    ) throws(RegistryError) -> Response {
        var url = "\(scheme(for: reference))://\(reference.apiHost)\(path)"
        var sameHost = true
        var redirects = 0
        var attempt = 0
        var authorised = false
        var triedPlain = false
        let key = "\(reference.apiHost) \(scope)"
        while true {
            var requestHeaders = HTTPHeaders(headers)
            if sameHost, let value = authorizations.withLock({ $0[key] }) {
                requestHeaders.replaceOrAdd(name: "Authorization", value: value)
            }
            let response: Response
            do throws(RegistryError) {
                response = try execute(url, headers: requestHeaders)
            } catch {
                if sameHost, reference.isLoopback || !options.verifyTLS, !triedPlain, !options.plainHTTP,
                    url.hasPrefix("https://"),
                    !error.untrustedCertificate
                {
                    // Docker's rule for localhost (skopeo's with --tls-verify=false): HTTPS
                    // first, then plain HTTP (a TLS server
                    // answers a plain request with 400, which does not count).
                    triedPlain = true
                    let plain = "http://" + url.dropFirst("https://".count)
                    if let probe = try? execute(plain, headers: requestHeaders, probe: true), probe.status != 400 {
                        _ = plainHosts.withLock { $0.insert(reference.apiHost) }
                        url = plain
                        continue
                    }
                }
                guard error.transient, attempt < options.retries else { throw error }
                pause(attempt: attempt, retryAfter: nil)
                attempt += 1
                continue
            }
            switch response.status {
            case 401 where sameHost && !authorised:
                response.body.cancel()
                authorised = true
                let value = try authorization(
                    challenges: response.head.headers["WWW-Authenticate"], reference: reference, scope: scope)
                authorizations.withLock { $0[key] = value }
            case 301, 302, 303, 307, 308:
                response.body.cancel()
                guard let location = response.header("Location"), redirects < 5,
                    let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL
                else { throw RegistryError("HTTP \(response.status): a redirect without a usable Location") }
                redirects += 1
                // Blob storage (S3, a CDN) gets no registry credentials: its URL is signed.
                sameHost = sameHost && next.host == URL(string: url)?.host && next.port == URL(string: url)?.port
                url = next.absoluteString
            case 429, 500, 502, 503, 504:
                let retryAfter = response.header("Retry-After").flatMap {
                    Double($0.trimmingCharacters(in: .whitespaces))
                }
                response.body.cancel()
                guard attempt < options.retries else {
                    throw RegistryError(
                        response.status == 429
                            ? "too many requests (HTTP 429), still after \(attempt + 1) tries"
                            : "server error (HTTP \(response.status)), still after \(attempt + 1) tries")
                }
                pause(attempt: attempt, retryAfter: retryAfter)
                attempt += 1
            default:
                return response
            }
        }
    }

    private func scheme(for reference: RegistryReference) -> String {
        if options.plainHTTP || plainHosts.withLock({ $0.contains(reference.apiHost) }) { return "http" }
        if reference.isLoopback, tlsHosts.withLock({ !$0.contains(reference.apiHost) }) {
            // A loopback registry may speak either. Asking in plain HTTP first is quick both ways
            // (a TLS server answers 400), where a failed TLS handshake waits out the connect timeout.
            let probe = try? execute("http://\(reference.apiHost)/v2/", headers: HTTPHeaders(), probe: true)
            if let probe, probe.status != 400 {
                _ = plainHosts.withLock { $0.insert(reference.apiHost) }
                return "http"
            }
            _ = tlsHosts.withLock { $0.insert(reference.apiHost) }
        }
        return "https"
    }

    private func execute(
        _ url: String, headers: HTTPHeaders, probe: Bool = false, form: String? = nil
    ) throws(RegistryError) -> Response {
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: form == nil ? .GET : .POST, headers: headers)
            if let form {
                request.headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .string(form)
            }
        } catch {
            throw RegistryError("not a usable URL: \(url.prefix { $0 != "?" })")
        }
        let stream = ResponseStream()
        stream.attach(http.execute(request: request, delegate: stream))
        let head = try stream.waitForHead()
        if probe { stream.cancel() }
        return Response(head: head, body: stream)
    }

    /// Backoff: `Retry-After` seconds when given (at most a minute), else 0.25 s doubling, at most 8 s.
    private func pause(attempt: Int, retryAfter: Double?) {
        let delay = retryAfter.map { min(max($0, 0), 60) } ?? min(0.25 * Double(1 << min(attempt, 5)), 8)
        Thread.sleep(forTimeInterval: delay)
    }

    /// The `Authorization` value a 401's challenges ask for.
    private func authorization(
        challenges: [String], reference: RegistryReference, scope: String
    ) throws(RegistryError) -> String {
        let parsed = challenges.compactMap(AuthChallenge.init(header:))
        let credential = try credential(for: reference.host)
        if let bearer = parsed.first(where: { $0.scheme == "bearer" }) {
            return "Bearer " + (try token(bearer, scope: scope, credential: credential))
        }
        if parsed.contains(where: { $0.scheme == "basic" }) {
            if credential?.isIdentityToken == true {
                throw RegistryError("an identity token needs a registry with a token service (it asks for Basic auth)")
            }
            guard let credential else {
                throw RegistryError(
                    "authentication required (HTTP 401); give --creds USER:PASS, --authfile or a docker config")
            }
            return credential.basicHeader
        }
        throw RegistryError("HTTP 401 without a challenge this client knows (Basic, Bearer)")
    }

    private func credential(for host: String) throws(RegistryError) -> Credential? {
        if let known = knownCredentials.withLock({ $0[host] }) { return known }
        let found = try credentials.credential(for: host)
        knownCredentials.withLock { $0[host] = .some(found) }
        return found
    }

    /// The bearer-token flow: GET realm?service=…&scope=…, with basic credentials when there are
    /// any; with an identity token, docker's OAuth2 form instead: POST realm
    /// `grant_type=refresh_token&refresh_token=…&service=…&scope=…&client_id=…`.
    private func token(_ challenge: AuthChallenge, scope: String, credential: Credential?) throws(RegistryError)
        -> String
    {
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm),
            components.scheme == "https" || components.scheme == "http"
        else { throw RegistryError("the registry's token challenge names no usable realm") }
        var query: [(String, String)] = []
        if let service = challenge.parameters["service"] { query.append(("service", service)) }
        query.append(("scope", challenge.parameters["scope"] ?? scope))
        var form: String?
        var headers = HTTPHeaders()
        if let credential, credential.isIdentityToken {
            form = Self.formEncoded(
                [("grant_type", "refresh_token"), ("refresh_token", credential.password)] + query + [
                    ("client_id", "imageaudit")
                ])
        } else {
            components.queryItems = (components.queryItems ?? []) + query.map { URLQueryItem(name: $0.0, value: $0.1) }
            if let credential { headers.add(name: "Authorization", value: credential.basicHeader) }
        }
        guard let url = components.url?.absoluteString else { throw RegistryError("the token realm is not a URL") }
        var attempt = 0
        while true {
            let response = try execute(url, headers: headers, form: form)
            let body = try response.body.body(limit: 1 << 20)
            if [429, 500, 502, 503, 504].contains(response.status), attempt < options.retries {
                pause(attempt: attempt, retryAfter: nil)
                attempt += 1
                continue
            }
            guard response.status == 200 else {
                throw RegistryError(
                    response.status == 401 || response.status == 403
                        ? "the token service refused \(credential == nil ? "anonymous access" : "the credentials") (HTTP \(response.status))"
                        : "the token service answered HTTP \(response.status)")
            }
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
            guard let token = (object?["token"] as? String) ?? (object?["access_token"] as? String), !token.isEmpty
            else { throw RegistryError("the token service gave no token") }
            return token
        }
    }

    /// `application/x-www-form-urlencoded`: every byte but the unreserved ones percent-encoded.
    static func formEncoded(_ fields: [(String, String)]) -> String {
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// The message of an error response: the distribution API's `errors[0]` when it gives one.
    static func failure(_ response: Response, what: String) -> RegistryError {
        let body = (try? response.body.body(limit: 64 << 10)) ?? []
        response.body.cancel()
        var detail = ""
        var code: String?
        if let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let first = (object["errors"] as? [[String: Any]])?.first
        {
            code = first["code"] as? String
            detail = (first["message"] as? String) ?? code ?? ""
        }
        let reason = detail.isEmpty ? HTTPResponseStatus(statusCode: response.status).reasonPhrase : detail
        let hint = response.status == 401 || response.status == 403 ? "; check --creds or the auth file" : ""
        var error = RegistryError("\(what): \(reason) (HTTP \(response.status))\(hint)")
        error.status = response.status
        error.code = code
        return error
    }
}
