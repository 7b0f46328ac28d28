import AsyncHTTPClient
import DSARKit
import Foundation
import NIOCore
import NIOHTTP1

/// Signed requests to one bucket. Object keys travel only in request URLs: never in a log
/// line or an error (they often hold phone numbers).
struct S3Client: Sendable {
    let configuration: S3StoreConfiguration
    let store: String
    let http: HTTPClient
    private let signer: SigV4Signer

    /// How long a request may take to answer (its headers; a body is streamed after).
    static let timeout: TimeAmount = .seconds(60)
    /// The largest answer read whole (listings, errors): anything bigger is an error.
    static let maximumDocument = 64 << 20

    init(configuration: S3StoreConfiguration, store: String, http: HTTPClient) {
        self.configuration = configuration
        self.store = store
        self.http = http
        signer = SigV4Signer(accessKey: configuration.accessKey, secretKey: configuration.secretKey,
                             region: configuration.region, service: "s3")
    }

    /// Where errors point: the store and its bucket, never a key.
    var location: String { "\(store)/\(configuration.bucket)" }

    /// Sends a signed request for `key` (a full object key), or for the bucket when `nil`.
    func send(_ method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [],
              headers extra: [(name: String, value: String)] = []) async throws -> HTTPClientResponse {
        let endpoint = configuration.endpoint
        let base = endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        var host = endpoint.host ?? ""
        var path = base
        if configuration.pathStyle {
            path += "/" + SigV4Signer.uriEncode(configuration.bucket, keepingSlash: false)
            if let key { path += "/" + SigV4Signer.uriEncode(key, keepingSlash: true) }
        } else {
            host = "\(configuration.bucket).\(host)"
            path += "/" + (key.map { SigV4Signer.uriEncode($0, keepingSlash: true) } ?? "")
        }
        let authority = host + (endpoint.port.map { ":\($0)" } ?? "")
        let date = Date()
        let signed: [(name: String, value: String)] = [("host", authority), ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash),
                                                      ("x-amz-date", SigV4Signer.amzDate(date))] + extra
        let signing = SigV4Signer.Request(method: method.rawValue, path: path, query: query, headers: signed)
        let queryText = SigV4Signer.canonicalQuery(query)
        var request = HTTPClientRequest(url: "\(scheme)://\(authority)\(path)" + (queryText.isEmpty ? "" : "?\(queryText)"))
        request.method = method
        for header in signed { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.headers.replaceOrAdd(name: "authorization", value: signer.authorization(for: signing, at: date))
        do {
            return try await http.execute(request, timeout: Self.timeout)
        } catch {
            throw unreachable(error)
        }
    }

    /// The whole body of a small answer (a listing, an error document).
    func document(_ response: HTTPClientResponse) async throws -> Data {
        do {
            let buffer = try await response.body.collect(upTo: Self.maximumDocument)
            return Data(buffer.readableBytesView)
        } catch {
            throw DSARError(.storeFailure, "s3 store '\(store)' sent an answer that could not be read", location: location,
                            cause: S3TransportError(underlying: error))
        }
    }

    /// The error for an unexpected answer: the store, the bucket, the HTTP status and the
    /// S3 error code (`AccessDenied`), never the key or the server's message (which may
    /// quote it).
    func failure(_ response: HTTPClientResponse, doing what: String) async -> DSARError {
        let code = (try? await document(response)).flatMap { S3XML.parse($0).first("Code") }
        let status = response.status.code
        let detail = "HTTP \(status)" + (code.map { ", \($0)" } ?? "")
        let bucket = configuration.bucket
        switch (status, code) {
        case (403, "SignatureDoesNotMatch"), (403, "InvalidAccessKeyId"), (403, "InvalidSecurity"), (401, _):
            return DSARError(.storeUnavailable, "s3 store '\(store)': bucket '\(bucket)' refused its credentials while \(what) (\(detail)); "
                                + "check the variables named by accessKeyEnv and secretKeyEnv", location: location)
        case (404, "NoSuchBucket"):
            return DSARError(.storeUnavailable, "s3 store '\(store)': bucket '\(bucket)' does not exist (\(detail))", location: location)
        case (403, _):
            return DSARError(.storeFailure, "s3 store '\(store)': bucket '\(bucket)' denied access while \(what) (\(detail))", location: location)
        default:
            return DSARError(.storeFailure, "s3 store '\(store)': bucket '\(bucket)' failed while \(what) (\(detail))", location: location)
        }
    }
}

/// A transport failure, described without the request's URL (which holds the object key).
struct S3TransportError: Error, CustomStringConvertible {
    let underlying: any Error
    var description: String {
        if let error = underlying as? HTTPClientError { return "HTTP client error (\(error.shortDescription))" }
        switch TLSFailure(underlying) {
        case .untrusted: return "TLS error (certificate not trusted)"
        case .wrongHost: return "TLS error (certificate for another host)"
        case .handshake: return "TLS error (handshake failed)"
        case nil: break
        }
        return "transport error (\(type(of: underlying)))"
    }
}

extension HTTPClientError {
    /// The kind of failure only: some descriptions quote the URL.
    var shortDescription: String {
        switch self {
        case .deadlineExceeded: "deadline exceeded"
        case .connectTimeout: "connect timeout"
        case .remoteConnectionClosed: "remote connection closed"
        case .readTimeout: "read timeout"
        case .cancelled: "cancelled"
        default: "request failed"
        }
    }
}
