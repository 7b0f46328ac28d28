import DSARKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The OpenDSR 0.1 API (formerly OpenGDPR) for portals and DSR orchestrators:
///
/// - `GET /discovery`: what this processor supports (no token needed);
/// - `GET /processor_certificate.pem`: the certificate that signs responses and callbacks;
/// - `POST /opengdpr_requests` (intake token): opens an access, portability or erasure request
///   in the ledger, unverified, for an officer to verify;
/// - `GET /opengdpr_requests/{id}` (status token): where it stands;
/// - `DELETE /opengdpr_requests/{id}` (intake token of the controller that sent it): cancels it
///   while it is `pending`.
///
/// Mount it in any Hummingbird application, with any request context:
///
/// ```swift
/// let router = Router()
/// routes.addRoutes(to: router.group("opendsr"))
/// ```
///
/// Errors use the spec's JSON form and name the field at fault, never its value; logs name
/// request ids, never an identifier.
public struct OpenDSRRoutes: Sendable {
    let book: RequestBook
    let catalog: Catalog
    let database: APIDatabase
    let bearer: BearerToken
    let key: ProcessorKey
    let callbacks: StatusCallbacks
    let configuration: OpenDSRConfiguration
    let logger: Logger

    public init(book: RequestBook, catalog: Catalog, database: APIDatabase, tokens: any IntegrationTokens,
                key: ProcessorKey, callbacks: StatusCallbacks, configuration: OpenDSRConfiguration, logger: Logger) {
        self.book = book
        self.catalog = catalog
        self.database = database
        self.bearer = BearerToken(tokens: tokens)
        self.key = key
        self.callbacks = callbacks
        self.configuration = configuration
        self.logger = logger
    }

    public func addRoutes<Context: RequestContext>(to group: RouterGroup<Context>) {
        group.get("discovery") { _, _ in await self.respond { try self.signed(self.discovery, status: .ok) } }
        group.get(RouterPath(OpenDSRConfiguration.certificatePath)) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.key.certificatePEM)))
        }
        group.post("opengdpr_requests") { request, _ in await self.respond { try await self.submit(request) } }
        group.get("opengdpr_requests/:id") { request, context in
            await self.respond { try await self.status(request, id: context.parameters.get("id") ?? "") }
        }
        group.delete("opengdpr_requests/:id") { request, context in
            await self.respond { try await self.cancel(request, id: context.parameters.get("id") ?? "") }
        }
    }

    // MARK: - Bodies

    struct Discovery: Encodable {
        struct Identity: Encodable { var identity_type: String; var identity_format: String }
        var api_version: String
        var supported_identities: [Identity]
        var supported_subject_request_types: [String]
        var processor_certificate: String
    }

    struct Received: Encodable {
        var controller_id: String
        var expected_completion_time: String
        var received_time: String
        var encoded_request: String
        var subject_request_id: String
        var api_version: String
    }

    struct StatusBody: Encodable {
        var controller_id: String
        var expected_completion_time: String
        var subject_request_id: String
        var request_status: String
        var api_version: String
        var status_callback_url: String?
    }

    var discovery: Discovery {
        Discovery(api_version: OpenDSRConfiguration.apiVersion,
                  supported_identities: OpenDSRSubmission.identityTypes(of: catalog).map {
                      .init(identity_type: $0.identityType, identity_format: "raw")
                  },
                  supported_subject_request_types: ["access", "portability", "erasure"],
                  processor_certificate: "\(configuration.publicURL)/\(OpenDSRConfiguration.certificatePath)")
    }

    // MARK: - Handlers

    func submit(_ request: Request) async throws -> Response {
        let token = try await bearer.authorize(request, for: .intake)
        let body = try await Self.collect(request, upTo: configuration.maxBodySize)
        let submission = try OpenDSRSubmission.parse(body, catalog: catalog)
        let received = CalendarDay(submission.submitted)
        guard received <= book.today else { throw APIError.invalid("submitted_time is in the future") }
        let receivedTime = Self.timestamp(book.now())
        let record = OpenDSRRecord(subjectRequestID: submission.subjectRequestID, requestID: nil, controllerID: token.name,
                                   callbackURLs: submission.callbackURLs, receivedTime: receivedTime)
        guard try await database.claim(record) else {
            throw APIError(.badRequest, reason: "Conflict", "this subject_request_id was received already")
        }
        let opened: DataRequest
        do {
            let note = "OpenDSR subject_request_id \(submission.subjectRequestID) from \(token.name)" +
                (submission.callbackURLs.isEmpty ? "" : "; status callbacks: " + submission.callbackURLs.joined(separator: " "))
            opened = try await book.open(submission.kind, subject: submission.subject, received: received, channel: .portal, note: note)
            try await database.attach(requestID: opened.id, to: submission.subjectRequestID)
        } catch {
            try? await database.release(submission.subjectRequestID)
            throw error
        }
        logger.info("OpenDSR request received", metadata: ["request": "\(opened.id)", "kind": "\(opened.kind.rawValue)",
                                                          "controller": "\(token.name)"])
        await callbacks.statusMayHaveChanged(submission.subjectRequestID)
        return try signed(Received(controller_id: token.name, expected_completion_time: Self.endOfDay(opened.due),
                                   received_time: receivedTime, encoded_request: body.base64EncodedString(),
                                   subject_request_id: submission.subjectRequestID, api_version: OpenDSRConfiguration.apiVersion),
                          status: .created)
    }

    func status(_ request: Request, id: String) async throws -> Response {
        _ = try await bearer.authorize(request, for: .status)
        let (record, found) = try await lookUp(id)
        await callbacks.statusMayHaveChanged(record.subjectRequestID)
        return try signed(statusBody(record, found), status: .ok)
    }

    func cancel(_ request: Request, id: String) async throws -> Response {
        let token = try await bearer.authorize(request, for: .intake)
        let (record, found) = try await lookUp(id)
        guard record.controllerID == token.name else { throw APIError.notFound }
        let status = OpenDSRStatus(found)
        guard status == .pending else {
            throw APIError(.badRequest, reason: "Conflict", "only a pending request can be cancelled; this one is \(status.rawValue)")
        }
        do {
            try await book.cancel(found.id, reason: "cancelled by \(token.name) through the OpenDSR API", onlyBeforeVerification: true)
        } catch let error as DSARError where error.code == .invalidRequest {
            throw APIError(.badRequest, reason: "Conflict", "only a pending request can be cancelled; this one is being acted on")
        }
        logger.info("OpenDSR request cancelled", metadata: ["request": "\(found.id)", "controller": "\(token.name)"])
        await callbacks.statusMayHaveChanged(record.subjectRequestID)
        let body = Received(controller_id: token.name, expected_completion_time: Self.endOfDay(found.due),
                            received_time: Self.timestamp(book.now()), encoded_request: "",
                            subject_request_id: record.subjectRequestID, api_version: OpenDSRConfiguration.apiVersion)
        return try signed(body, status: .accepted)
    }

    func lookUp(_ id: String) async throws -> (OpenDSRRecord, DataRequest) {
        guard OpenDSRSubmission.isUUIDv4(id) else { throw APIError.invalid("the subject_request_id in the path must be a lowercase UUID v4") }
        guard let record = try await database.openDSRRecord(id), let requestID = record.requestID,
              let found = try await book.ledger.request(requestID) else { throw APIError.notFound }
        return (record, found)
    }

    func statusBody(_ record: OpenDSRRecord, _ request: DataRequest) -> StatusBody {
        StatusBody(controller_id: record.controllerID, expected_completion_time: Self.endOfDay(request.due),
                   subject_request_id: record.subjectRequestID, request_status: OpenDSRStatus(request).rawValue,
                   api_version: OpenDSRConfiguration.apiVersion)
    }
}
