import Foundation
import HTTPTypes
import Hummingbird

/// An API error, answered in the OpenDSR error form (spec 0.1 §7.6):
/// `{"error": {"code": 400, "message": "…", "errors": [{"domain": "Validation", "reason": "…", "message": "…"}]}}`.
/// Messages name the field (`subject_identities[0].identity_value`), never its value.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var reason: String
    public var message: String

    public init(_ status: HTTPResponse.Status, reason: String, _ message: String) {
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// A field missing or wrong: 400, `reason` `IllegalArgumentException` as the spec's example.
    static func invalid(_ message: String) -> APIError {
        APIError(.badRequest, reason: "IllegalArgumentException", message)
    }

    static let missingToken = APIError(.unauthorized, reason: "Unauthorized",
                                       "send an integration token: Authorization: Bearer dsar_…")
    static let unknownToken = APIError(.unauthorized, reason: "Unauthorized", "the token is unknown or revoked")
    static func wrongScope(_ needed: TokenScope) -> APIError {
        APIError(.forbidden, reason: "Forbidden", "this token's scope does not allow this; it needs a token of scope \(needed.rawValue)")
    }
    static let notFound = APIError(.notFound, reason: "NotFound", "there is no such subject_request_id")
    static let internalFailure = APIError(.internalServerError, reason: "InternalError",
                                          "the request could not be recorded; nothing was opened. Try again later")

    struct Body: Encodable {
        struct Detail: Encodable { var domain: String; var reason: String; var message: String }
        struct Inner: Encodable { var code: Int; var message: String; var errors: [Detail] }
        var error: Inner
    }

    var response: Response {
        let domain = status == .badRequest || status == .contentTooLarge ? "Validation" : "Request"
        let body = Body(error: .init(code: status.code, message: message,
                                     errors: [.init(domain: domain, reason: reason, message: message)]))
        let data = (try? JSONEncoder.api.encode(body)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: the bytes signed are the bytes sent.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
