import DSARKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

extension OpenDSRRoutes {
    static let signatureHeader = HTTPField.Name("X-OpenGDPR-Signature")!
    static let domainHeader = HTTPField.Name("X-OpenGDPR-Processor-Domain")!

    /// `value` as JSON, its bytes signed with the processor key (`X-OpenGDPR-Signature`).
    func signed(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[Self.domainHeader] = configuration.processorDomain
        headers[Self.signatureHeader] = try key.signature(of: data)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs a handler, answering its errors in the spec's form. A failure that is not the
    /// caller's is logged by type and code only, and answered with a generic 500.
    func respond(_ handler: () async throws -> Response) async -> Response {
        await Self.respond(logger: logger, handler)
    }

    static func respond(logger: Logger, _ handler: () async throws -> Response) async -> Response {
        do {
            return try await handler()
        } catch let error as APIError {
            return error.response
        } catch let error as DSARError where error.code == .invalidRequest || error.code == .invalidIdentifier {
            return APIError.invalid(error.message).response
        } catch {
            let code = (error as? DSARError).map { "\($0.code)" } ?? (error as? DSARServiceError).map { "\($0.code)" } ?? "\(type(of: error))"
            logger.error("API request failed", metadata: ["error": "\(code)"])
            return APIError.internalFailure.response
        }
    }

    /// The request body, at most `limit` bytes (413 beyond).
    static func collect(_ request: Request, upTo limit: Int) async throws -> Data {
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, reason: "PayloadTooLarge", "the body is larger than \(limit) bytes")
        }
    }

    /// The end of the due day, as RFC 3339: the time OpenDSR calls `expected_completion_time`.
    static func endOfDay(_ day: CalendarDay) -> String { "\(day)T23:59:59Z" }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
