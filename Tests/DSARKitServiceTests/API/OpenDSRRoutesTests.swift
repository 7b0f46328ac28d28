import DSARKit
import DSARKitService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenDSR API")
struct OpenDSRRoutesTests {
    @Test("GET /discovery: version, the catalog's email and phone as raw identities, the three request types, a certificate that checks its signature")
    func discovery() async throws {
        let fixture = try await APIFixture()
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.execute(uri: "/discovery", method: .get)
            #expect(response.status == .ok)
            #expect(response.json["api_version"] as? String == "0.1")
            let identities = response.json["supported_identities"] as? [[String: String]]
            #expect(identities == [["identity_type": "email", "identity_format": "raw"], ["identity_type": "phone", "identity_format": "raw"]])
            #expect(response.json["supported_subject_request_types"] as? [String] == ["access", "portability", "erasure"])
            #expect(response.json["processor_certificate"] as? String == "https://dsar.example.test/processor_certificate.pem")

            let certificate = try await client.execute(uri: "/processor_certificate.pem", method: .get)
            #expect(certificate.status == .ok && certificate.text.hasPrefix("-----BEGIN CERTIFICATE-----"))
            #expect(try signatureVerifies(response.headers[.init("X-OpenGDPR-Signature")!], body: Data(buffer: response.body),
                                          certificatePEM: certificate.text))
            #expect(response.headers[.init("X-OpenGDPR-Processor-Domain")!] == "dsar.example.test")
        }
    }

    @Test("POST /opengdpr_requests opens an unverified request in the ledger, due a month after submission, and answers 201 signed")
    func submit() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let body = OpenDSRBody().with("status_callback_urls", ["https://controller.example.test/callbacks"]).buffer
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body)
            #expect(response.status == .created)
            #expect(response.json["subject_request_id"] as? String == OpenDSRBody.id)
            #expect(response.json["controller_id"] as? String == "portal")
            #expect(response.json["expected_completion_time"] as? String == "2026-04-14T23:59:59Z")
            #expect(response.json["received_time"] as? String == "2026-03-15T09:00:00Z")
            #expect(response.json["encoded_request"] as? String == Data(buffer: body).base64EncodedString())
            #expect(try signatureVerifies(response.headers[.init("X-OpenGDPR-Signature")!], body: Data(buffer: response.body),
                                          certificatePEM: fixture.key.certificatePEM))
        }
        let requests = try await fixture.book.list()
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.kind == .erasure && request.channel == .portal && request.status == .open && !request.isVerified)
        #expect(request.deadline.received == CalendarDay("2026-03-14"))
        #expect(try await fixture.book.subject(of: request.id).identifiers.map(\.description) == ["email:amel.benali@example.tn"])
        let note = try #require(try await fixture.book.note(of: request.id))
        #expect(note.contains(OpenDSRBody.id) && note.contains("https://controller.example.test/callbacks"))
    }

    @Test("Tokens: none or unknown or revoked is 401, the wrong scope is 403, and nothing is opened")
    func tokens() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let status = try await fixture.issue("dashboard", .status)
        let revoked = try await fixture.issue("old-portal", .intake)
        #expect(try await fixture.tokens.revoke(name: "old-portal"))
        try await fixture.application().test(.router) { client async throws in
            var plain = HTTPFields()
            plain[.contentType] = "application/json"
            let body = OpenDSRBody().buffer
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: plain, body: body).status == .unauthorized)
            let unknown = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer("dsar_" + String(repeating: "A", count: 43)), body: body)
            #expect(unknown.status == .unauthorized && unknown.errorCode == 401)
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(revoked), body: body).status == .unauthorized)
            let forbidden = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(status), body: body)
            #expect(forbidden.status == .forbidden && forbidden.errorCode == 403)
            #expect(try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(status),
                                             body: ByteBuffer(string: #"{"phone": "+21698123456", "call_id": "1"}"#)).status == .forbidden)
            #expect(try await fixture.book.list().isEmpty)

            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body).status == .created)
            let asIntake = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .get, headers: .bearer(intake))
            #expect(asIntake.status == .forbidden)
            let asStatus = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .get, headers: .bearer(status))
            #expect(asStatus.status == .ok)
            #expect(try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(status)).status == .forbidden)
        }
    }

    @Test("Bad bodies are 400 in the spec's error form, naming the field and never echoing a value; nothing is opened")
    func badBodies() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let valid = OpenDSRBody()
        let identity = { (type: String, value: String, format: String) in
            [["identity_type": type, "identity_value": value, "identity_format": format]]
        }
        let cases: [(ByteBuffer, String)] = [
            (ByteBuffer(string: "{not json"), "not a JSON object"),
            (ByteBuffer(string: "[1, 2]"), "not a JSON object"),
            (valid.with("subject_request_id", nil).buffer, "subject_request_id field is required"),
            (valid.with("subject_request_id", "A7551968-D5D6-44B2-9831-815AC9017798").buffer, "subject_request_id must be a lowercase UUID v4"),
            (valid.with("subject_request_id", "a7551968-d5d6-14b2-9831-815ac9017798").buffer, "subject_request_id must be a lowercase UUID v4"),
            (valid.with("subject_request_type", "rectification").buffer, "subject_request_type must be"),
            (valid.with("subject_request_type", nil).buffer, "subject_request_type field is required"),
            (valid.with("submitted_time", nil).buffer, "submitted_time field is required"),
            (valid.with("submitted_time", "14/03/2026").buffer, "submitted_time must be an RFC 3339"),
            (valid.with("submitted_time", "2026-03-16T00:00:00Z").buffer, "submitted_time is in the future"),
            (valid.with("subject_identities", nil).buffer, "subject_identities field is required"),
            (valid.with("subject_identities", []).buffer, "subject_identities must be an array"),
            (valid.with("subject_identities", identity("ios_advertising_id", "x", "raw")).buffer, "subject_identities[0].identity_type is not supported"),
            (valid.with("subject_identities", identity("email", "5f4dcc3b5aa765d61d8327deb882cf99", "md5")).buffer,
             "subject_identities[0].identity_format must be raw"),
            (valid.with("subject_identities", identity("email", "amel.benali-at-example.tn", "raw")).buffer,
             "subject_identities[0].identity_value is not a valid email"),
            (valid.with("subject_identities", identity("phone", "98 12", "raw")).buffer,
             "subject_identities[0].identity_value is not a valid phone"),
            (valid.with("subject_identities", [["identity_type": "email", "identity_format": "raw"]]).buffer,
             "subject_identities[0].identity_value field is required"),
            (valid.with("status_callback_urls", ["ftp://controller.example.test/x"]).buffer, "status_callback_urls[0] must be an http or https URL"),
            (valid.with("api_version", "1.0").buffer, "api_version must be 0.1"),
        ]
        try await fixture.application().test(.router) { client async throws in
            for (body, expected) in cases {
                let response = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body)
                #expect(response.status == .badRequest, "\(expected)")
                #expect(response.errorCode == 400)
                #expect(response.errorMessage?.contains(expected) == true, "\(response.errorMessage ?? "no message") ≠ \(expected)")
                let errors = (response.json["error"] as? [String: Any])?["errors"] as? [[String: String]]
                #expect(errors?.first?["domain"] == "Validation")
                for value in ["amel", "Amel", "98 12", "5f4dcc3b", "ftp:"] { #expect(!response.text.contains(value), "\(expected)") }
            }
            let huge = ByteBuffer(repeating: UInt8(ascii: " "), count: 70 * 1024)
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: huge).status == .contentTooLarge)
        }
        #expect(try await fixture.book.list().isEmpty)
    }

    @Test("The same subject_request_id twice opens one request; the second is refused")
    func duplicate() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: OpenDSRBody().buffer).status == .created)
            let again = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: OpenDSRBody().buffer)
            #expect(again.status == .badRequest && again.errorMessage?.contains("received already") == true)
        }
        #expect(try await fixture.book.list().count == 1)
    }

    @Test("GET /opengdpr_requests/{id}: pending, in_progress once verified, cancelled once refused; unknown ids are 404")
    func status() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let status = try await fixture.issue("dashboard", .status)
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: OpenDSRBody().buffer)
            let requestID = try #require(try await fixture.book.list().first?.id)
            func current() async throws -> String? {
                let response = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .get, headers: .bearer(status))
                #expect(response.json["subject_request_id"] as? String == OpenDSRBody.id)
                #expect(response.json["expected_completion_time"] as? String == "2026-04-14T23:59:59Z")
                #expect(try signatureVerifies(response.headers[.init("X-OpenGDPR-Signature")!], body: Data(buffer: response.body),
                                              certificatePEM: fixture.key.certificatePEM))
                return response.json["request_status"] as? String
            }
            #expect(try await current() == "pending")
            try await fixture.book.verify(requestID, method: "called back on the number on file")
            #expect(try await current() == "in_progress")
            try await fixture.book.reject(requestID, reason: "manifestly unfounded")
            #expect(try await current() == "cancelled")
            let unknown = try await client.execute(uri: "/opengdpr_requests/0b4f2a53-2d3e-4c1b-9f3a-6e2d1c0b9a88", method: .get, headers: .bearer(status))
            #expect(unknown.status == .notFound && unknown.errorCode == 404)
            #expect(try await client.execute(uri: "/opengdpr_requests/R-2026-0001", method: .get, headers: .bearer(status)).status == .badRequest)
        }
        let completed = DataRequest(id: "R-2026-0009", kind: .access, deadline: Deadline(received: CalendarDay("2026-03-01")!),
                                    status: .completed, verification: "seen", openedAt: "2026-03-01T00:00:00Z")
        #expect(OpenDSRStatus(completed) == .completed)
    }

    @Test("DELETE cancels a pending request (202, the ledger says cancelled); once verified, or from another controller, it is refused")
    func cancel() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let other = try await fixture.issue("other-portal", .intake)
        let second = "0b4f2a53-2d3e-4c1b-9f3a-6e2d1c0b9a88"
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: OpenDSRBody().buffer)
            _ = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake),
                                         body: OpenDSRBody().with("subject_request_id", second).buffer)
            let ids = try await fixture.book.list().map(\.id).sorted()
            #expect(try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(other)).status == .notFound)
            let cancelled = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(intake))
            #expect(cancelled.status == .accepted)
            #expect(cancelled.json["subject_request_id"] as? String == OpenDSRBody.id)
            #expect(try await fixture.book.request(ids[0]).status == .cancelled)
            let again = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(intake))
            #expect(again.status == .badRequest && again.errorMessage?.contains("only a pending request") == true)

            try await fixture.book.verify(ids[1], method: "called back on the number on file")
            let verified = try await client.execute(uri: "/opengdpr_requests/\(second)", method: .delete, headers: .bearer(intake))
            #expect(verified.status == .badRequest && verified.errorMessage?.contains("in_progress") == true)
            #expect(try await fixture.book.request(ids[1]).status == .open)
        }
    }
}
