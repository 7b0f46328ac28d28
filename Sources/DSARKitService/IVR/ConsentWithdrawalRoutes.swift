import DSARKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The IVR hook: `POST /consent-withdrawals` with `{"phone": "+216…", "call_id": "…"}` and an
/// intake token, sent by the IVR's "press 9 to withdraw your consent to recording" step. It opens
/// a consent-withdrawal request on channel `ivr` for the caller's number (normalised as the
/// catalog's phone identifier says; the call id goes in the request's encrypted note), unverified,
/// for an officer to verify, and answers `201 {"request_id": …, "due": …}`. The same call id again
/// answers `200` with the same request: an IVR that retries opens one request.
public struct ConsentWithdrawalRoutes: Sendable {
    let book: RequestBook
    let catalog: Catalog
    let database: APIDatabase
    let bearer: BearerToken
    let logger: Logger

    public init(book: RequestBook, catalog: Catalog, database: APIDatabase, tokens: any IntegrationTokens, logger: Logger) {
        self.book = book
        self.catalog = catalog
        self.database = database
        self.bearer = BearerToken(tokens: tokens)
        self.logger = logger
    }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.post("consent-withdrawals") { request, _ in
            await OpenDSRRoutes.respond(logger: self.logger) { try await self.withdraw(request) }
        }
    }

    struct Opened: Encodable {
        var request_id: String
        var kind: String
        var channel: String
        var received: String
        var due: String
    }

    func withdraw(_ request: Request) async throws -> Response {
        _ = try await bearer.authorize(request, for: .intake)
        let body = try await OpenDSRRoutes.collect(request, upTo: 4096)
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw APIError.invalid("the body is not a JSON object")
        }
        guard let phone = object["phone"] as? String else { throw APIError.invalid("phone field is required (a string)") }
        guard let callID = object["call_id"] as? String else { throw APIError.invalid("call_id field is required (a string)") }
        guard Self.isCallID(callID) else {
            throw APIError.invalid("call_id must be 1 to 128 letters, digits, '.', '_', ':' or '-'")
        }
        guard let type = catalog.identifiers.first(where: { $0.kind == .phone }) else {
            throw APIError.invalid("this catalog declares no phone identifier; consent cannot be withdrawn by phone number")
        }
        guard let number = type.normalize(phone) else { throw APIError.invalid("phone is not a valid phone number") }
        let subject = DataSubject(identifiers: [SubjectIdentifier(type: type.name, normalizedValue: number)])

        switch try await database.claimCall(callID, at: OpenDSRRoutes.timestamp(book.now())) {
        case .answered(let id):
            return try Self.json(Self.opened(try await book.request(id)), status: .ok)
        case .inProgress:
            throw APIError(.conflict, reason: "Conflict", "this call_id is being recorded right now; send it again in a moment")
        case .claimed:
            let opened: DataRequest
            do {
                opened = try await book.open(.consentWithdrawal, subject: subject, channel: .ivr, note: "IVR call \(callID)")
                try await database.attachCall(callID, requestID: opened.id)
            } catch {
                try? await database.releaseCall(callID)
                throw error
            }
            logger.info("consent withdrawal received from the IVR", metadata: ["request": "\(opened.id)"])
            return try Self.json(Self.opened(opened), status: .created)
        }
    }

    static func opened(_ request: DataRequest) -> Opened {
        Opened(request_id: request.id, kind: request.kind.rawValue, channel: request.channel?.rawValue ?? "ivr",
               received: request.deadline.received.description, due: request.due.description)
    }

    static func isCallID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:-".unicodeScalars.contains($0))
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value))))
    }
}
