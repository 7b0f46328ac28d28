import DSARKit
import DSARKitService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("IVR consent-withdrawal hook")
struct ConsentWithdrawalTests {
    @Test("POST /consent-withdrawals opens one consent withdrawal on channel ivr for the normalised number, however often the IVR retries")
    func withdraw() async throws {
        let fixture = try await APIFixture()
        let ivr = try await fixture.issue("asterisk", .intake)
        try await fixture.application().test(.router) { client async throws in
            let body = ByteBuffer(string: #"{"phone": "98 123 456", "call_id": "1763450000.42"}"#)
            let first = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(ivr), body: body)
            #expect(first.status == .created)
            let id = try #require(first.json["request_id"] as? String)
            #expect(first.json["due"] as? String == "2026-04-15")
            let again = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(ivr),
                                                 body: ByteBuffer(string: #"{"phone": "+216 98 123 456", "call_id": "1763450000.42"}"#))
            #expect(again.status == .ok && again.json["request_id"] as? String == id)
            let requests = try await fixture.book.list()
            #expect(requests.map(\.id) == [id])
            let request = try #require(requests.first)
            #expect(request.kind == .consentWithdrawal && request.channel == .ivr && !request.isVerified)
            #expect(try await fixture.book.subject(of: id).identifiers.map(\.description) == ["phone:+21698123456"])
            #expect(try await fixture.book.note(of: id)?.contains("1763450000.42") == true)

            let another = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(ivr),
                                                   body: ByteBuffer(string: #"{"phone": "98 123 456", "call_id": "1763450999.7"}"#))
            #expect(another.status == .created && another.json["request_id"] as? String != id)
        }
    }

    @Test("A bad number or call id is 400 naming the field, never echoing the number; nothing is opened")
    func badInput() async throws {
        let fixture = try await APIFixture()
        let ivr = try await fixture.issue("asterisk", .intake)
        try await fixture.application().test(.router) { client async throws in
            for (body, expected) in [(#"{"phone": "98 12", "call_id": "1"}"#, "phone is not a valid phone number"),
                                     (#"{"call_id": "1"}"#, "phone field is required"),
                                     (#"{"phone": "98123456"}"#, "call_id field is required"),
                                     (#"{"phone": "98123456", "call_id": "a b"}"#, "call_id must be"),
                                     ("98123456", "not a JSON object")] {
                let response = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(ivr), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(response.errorMessage?.contains(expected) == true, "\(response.errorMessage ?? "")")
                #expect(!response.text.contains("9812"))
            }
            #expect(try await client.execute(uri: "/consent-withdrawals", method: .post, headers: [:],
                                             body: ByteBuffer(string: #"{"phone": "98123456", "call_id": "1"}"#)).status == .unauthorized)
        }
        #expect(try await fixture.book.list().isEmpty)
    }

    @Test("No email address or phone number reaches a log line, whatever the API does")
    func noIdentifierInLogs() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let status = try await fixture.issue("dashboard", .status)
        let identities: [[String: String]] = [["identity_type": "email", "identity_value": OpenDSRBody.email, "identity_format": "raw"],
                                              ["identity_type": "phone", "identity_value": "+216 98 123 456", "identity_format": "raw"]]
        try await fixture.application().test(.router) { client async throws in
            let body = OpenDSRBody().with("subject_identities", identities).with("status_callback_urls", ["http://127.0.0.1:9/callbacks"])
            #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body.buffer).status == .created)
            _ = try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake),
                                         body: OpenDSRBody().with("subject_request_id", "0b4f2a53-2d3e-4c1b-9f3a-6e2d1c0b9a88")
                                            .with("subject_identities", [["identity_type": "email", "identity_value": "amel@@x", "identity_format": "raw"]]).buffer)
            _ = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .get, headers: .bearer(status))
            _ = try await client.execute(uri: "/consent-withdrawals", method: .post, headers: .bearer(intake),
                                         body: ByteBuffer(string: #"{"phone": "+216 98 123 456", "call_id": "c-1"}"#))
            _ = try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(intake))
            await fixture.callbacks.waitForDeliveries()
        }
        let lines = fixture.logs.all
        #expect(lines.contains { $0.contains("OpenDSR request received") })
        #expect(lines.contains { $0.contains("status callback") })
        for line in lines {
            for personal in ["amel", "Amel", "98123456", "98 123 456", "example.tn", "Example.TN"] {
                #expect(!line.contains(personal), "\(line)")
            }
        }
    }
}
