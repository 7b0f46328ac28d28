import AsyncHTTPClient
import Crypto
import DSARKit
import DSARKitS3
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

/// A real S3 API server the tests use, from the environment `.ci/s3.sh` sets:
/// `DSAR_TEST_S3_RCLONE_URL` (rclone serve s3: checks signatures), `DSAR_TEST_S3_MOTO_URL`
/// (moto: versions, Object Lock), `DSAR_TEST_S3_ACCESS_KEY`, `DSAR_TEST_S3_SECRET_KEY`.
///
/// Buckets are made and filled through the S3 API itself, signed with ``SigV4Signer``.
struct S3TestServer: Sendable {
    let kind: String
    let endpoint: URL
    let accessKey: String
    let secretKey: String
    /// `false`: every request, the tests' own too, names the bucket in the host
    /// (`bucket.s3.dsar.test`), as a server that only serves virtual-hosted style needs.
    var pathStyle = true
    /// The client for every request (the store's too), when not the shared one: one that
    /// resolves the buckets' host names, or trusts a test CA.
    var http: HTTPClient?
    /// The `caFile` setting of the stores' declarations.
    var caFile: String?

    static let environment = ProcessInfo.processInfo.environment

    static var rclone: S3TestServer? { server("rclone", "DSAR_TEST_S3_RCLONE_URL") }
    static var moto: S3TestServer? { server("moto", "DSAR_TEST_S3_MOTO_URL") }

    /// The server, or `nil` after saying so; in CI (`CI=true`) a missing server is a
    /// failure, never a skip.
    private static func server(_ kind: String, _ variable: String) -> S3TestServer? {
        if let text = environment[variable], let url = URL(string: text) {
            return S3TestServer(kind: kind, endpoint: url, accessKey: environment["DSAR_TEST_S3_ACCESS_KEY"] ?? "dsar-test-key",
                                secretKey: environment["DSAR_TEST_S3_SECRET_KEY"] ?? "dsar-test-secret")
        }
        if environment["CI"] == "true" {
            Issue.record("CI must provide the \(kind) S3 server: \(variable) is not set (source .ci/s3.sh)")
        } else {
            print("S3 tests on \(kind) skipped: \(variable) is not set (run `source .ci/s3.sh` first)")
        }
        return nil
    }

    /// A bucket name no other test uses.
    static func bucketName() -> String {
        "t-" + UUID().uuidString.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20)
    }

    /// The environment a catalog's `accessKeyEnv` / `secretKeyEnv` read.
    var credentialsEnvironment: [String: String] { ["S3_TEST_ACCESS_KEY": accessKey, "S3_TEST_SECRET_KEY": secretKey] }

    func declaration(name: String = "files", bucket: String, prefix: String = "", secret: String? = nil) -> StoreDeclaration {
        StoreDeclaration(name: name, type: "s3", settings: [
            "endpoint": endpoint.absoluteString, "bucket": bucket, "prefix": prefix, "region": "us-east-1",
            "accessKeyEnv": "S3_TEST_ACCESS_KEY", "secretKeyEnv": "S3_TEST_SECRET_KEY", "pathStyle": "\(pathStyle)",
        ].merging(caFile.map { ["caFile": $0] } ?? [:]) { $1 })
    }

    func store(name: String = "files", bucket: String, prefix: String = "") throws -> S3Store {
        try S3Store(declaration: declaration(name: name, bucket: bucket, prefix: prefix), environment: credentialsEnvironment,
                    http: http, logger: Logger(label: "test"))
    }

    // MARK: Virtual-hosted style

    /// The host of the buckets' endpoint in virtual-hosted style: `BUCKET.s3.dsar.test` (`.test`
    /// is reserved for tests and resolves nowhere; a client maps the names to loopback).
    static let virtualHostDomain = "s3.dsar.test"

    /// This server answering at `http://s3.dsar.test:PORT` in virtual-hosted style, through a
    /// client that resolves `s3.dsar.test` and each of `buckets`' hosts to loopback (no name
    /// server is needed, nor any on the machine). `tls` for an https server. The client is shut
    /// down after `body`.
    func virtualHosted<T>(buckets: [String], tls: TLSConfiguration? = nil,
                          _ body: (S3TestServer) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // As the store's own clients: a failed handshake is reported at once, not retried for 10 s.
        configuration.connectionPool.retryConnectionEstablishment = false
        let loopback = endpoint.host ?? "127.0.0.1"
        configuration.dnsOverride[Self.virtualHostDomain] = loopback
        for bucket in buckets { configuration.dnsOverride["\(bucket).\(Self.virtualHostDomain)"] = loopback }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        components.host = Self.virtualHostDomain
        let server = S3TestServer(kind: kind + " (virtual-hosted)", endpoint: components.url!, accessKey: accessKey, secretKey: secretKey,
                              pathStyle: false, http: client, caFile: caFile)
        do {
            let result = try await body(server)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    // MARK: Filling buckets

    func createBucket(_ bucket: String, objectLock: Bool = false) async throws {
        try await expectOK(send(.PUT, bucket: bucket, headers: objectLock ? [("x-amz-bucket-object-lock-enabled", "true")] : []),
                           "create bucket")
    }

    func enableVersioning(_ bucket: String) async throws {
        let body = #"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#
        try await expectOK(send(.PUT, bucket: bucket, query: [("versioning", "")], body: Data(body.utf8)), "enable versioning")
    }

    func put(_ bucket: String, _ key: String, _ contents: Data, headers: [(name: String, value: String)] = []) async throws {
        try await expectOK(send(.PUT, bucket: bucket, key: key, headers: headers, body: contents), "put object")
    }

    func put(_ bucket: String, files: [String: Data], prefix: String = "") async throws {
        for (path, contents) in files { try await put(bucket, prefix + path, contents) }
    }

    /// Every version and delete marker in the bucket, as (key, version id, is a delete marker).
    func versions(_ bucket: String) async throws -> [(key: String, version: String, deleteMarker: Bool)] {
        let (status, body) = try await send(.GET, bucket: bucket, query: [("versions", "")])
        #expect(status == 200)
        let text = String(decoding: body, as: UTF8.self)
        var found: [(key: String, version: String, deleteMarker: Bool)] = []
        for kind in ["Version", "DeleteMarker"] {
            for chunk in text.components(separatedBy: "<\(kind)>").dropFirst() {
                let entry = chunk.components(separatedBy: "</\(kind)>")[0]
                found.append((key: Self.element("Key", in: entry), version: Self.element("VersionId", in: entry), deleteMarker: kind == "DeleteMarker"))
            }
        }
        return found
    }

    /// Every key in the bucket (ListObjectsV2, one page: test buckets are small).
    func keys(_ bucket: String) async throws -> [String] {
        let (status, body) = try await send(.GET, bucket: bucket, query: [("list-type", "2")])
        #expect(status == 200)
        let text = String(decoding: body, as: UTF8.self)
        return text.components(separatedBy: "<Key>").dropFirst().map { $0.components(separatedBy: "</Key>")[0] }.sorted()
    }

    private static func element(_ name: String, in text: String) -> String {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return "" }
        return String(text[start.upperBound..<end.lowerBound])
    }

    private func expectOK(_ answer: (Int, Data), _ what: String) throws {
        guard (200..<300).contains(answer.0) else {
            // The S3 error code only: the server's message may quote the key (a phone number).
            let text = String(decoding: answer.1, as: UTF8.self)
            let code = text.range(of: "<Code>").flatMap { start in text.range(of: "</Code>").map { String(text[start.upperBound..<$0.lowerBound]) } }
            throw TestFailure("\(kind): \(what) answered HTTP \(answer.0) \(code ?? "")")
        }
    }

    /// A signed request, in the server's style.
    func send(_ method: HTTPMethod, bucket: String, key: String? = nil, query: [(name: String, value: String)] = [],
              headers extra: [(name: String, value: String)] = [], body: Data = Data(), secret: String? = nil) async throws -> (Int, Data) {
        let signer = SigV4Signer(accessKey: accessKey, secretKey: secret ?? secretKey, region: "us-east-1")
        let host = (pathStyle ? "" : bucket + ".") + endpoint.host! + (endpoint.port.map { ":\($0)" } ?? "")
        let objectPath = key.map { "/" + SigV4Signer.uriEncode($0, keepingSlash: true) }
        let path = pathStyle ? "/" + bucket + (objectPath ?? "") : (objectPath ?? "/")
        let date = Date()
        let payload = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        var headers: [(name: String, value: String)] = [("host", host), ("x-amz-content-sha256", payload), ("x-amz-date", SigV4Signer.amzDate(date))]
        if !body.isEmpty {
            headers.append(("content-md5", Data(Insecure.MD5.hash(data: body)).base64EncodedString()))
        }
        headers += extra
        let signing = SigV4Signer.Request(method: method.rawValue, path: path, query: query, headers: headers, payloadHash: payload)
        let queryText = SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(url: "\(endpoint.scheme!)://\(host)\(path)" + (queryText.isEmpty ? "" : "?\(queryText)"))
        request.method = method
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "authorization", value: signer.authorization(for: signing, at: date))
        if !body.isEmpty { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await (http ?? HTTPClient.shared).execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(buffer.readableBytesView))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
