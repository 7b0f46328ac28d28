import DSARKit
import DSARKitService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A controller's callback endpoint on loopback: records what it receives, refusing the first
/// `failFirst` deliveries with 503.
final class CallbackReceiver: Sendable {
    struct Received: Sendable { var body: Data; var signature: String?; var domain: String? }
    private let state: Mutex<(received: [Received], refused: Int)>
    let failFirst: Int

    init(failFirst: Int = 0) {
        state = Mutex(([], 0))
        self.failFirst = failFirst
    }

    var received: [Received] { state.withLock { $0.received } }
    var refused: Int { state.withLock { $0.refused } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("callbacks") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let item = Received(body: Data(buffer: body), signature: request.headers[.init("X-OpenGDPR-Signature")!],
                                domain: request.headers[.init("X-OpenGDPR-Processor-Domain")!])
            return self.state.withLock { state in
                if state.refused < self.failFirst { state.refused += 1; return .serviceUnavailable }
                state.received.append(item)
                return .ok
            }
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite("OpenDSR status callbacks")
struct StatusCallbackTests {
    @Test("Each status change is POSTed to the callback URL, signed with the key of the published certificate")
    func signedCallbacks() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let receiver = CallbackReceiver()
        try await receiver.application().test(.live) { controller async throws in
            let url = "http://127.0.0.1:\(try #require(controller.port))/callbacks"
            try await fixture.application().test(.router) { client async throws in
                let certificate = try await client.execute(uri: "/processor_certificate.pem", method: .get).text
                let body = OpenDSRBody().with("status_callback_urls", [url]).buffer
                #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body).status == .created)
                await fixture.callbacks.waitForDeliveries()
                let requestID = try #require(try await fixture.book.list().first?.id)
                try await fixture.book.verify(requestID, method: "called back on the number on file")
                await fixture.callbacks.check()
                await fixture.callbacks.waitForDeliveries()
                await fixture.callbacks.check()  // nothing changed: nothing more is sent
                await fixture.callbacks.waitForDeliveries()

                let received = receiver.received
                #expect(received.count == 2)
                let statuses = received.compactMap { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] }
                #expect(statuses.map { $0["request_status"] as? String } == ["pending", "in_progress"])
                for (item, status) in zip(received, statuses) {
                    #expect(try signatureVerifies(item.signature, body: item.body, certificatePEM: certificate))
                    #expect(item.domain == "dsar.example.test")
                    #expect(status["status_callback_url"] as? String == url)
                    #expect(status["subject_request_id"] as? String == OpenDSRBody.id)
                    #expect(status["controller_id"] as? String == "portal")
                }
                var tampered = received[0].body
                tampered.append(contentsOf: Array(" ".utf8))
                #expect(try !signatureVerifies(received[0].signature, body: tampered, certificatePEM: certificate))
            }
        }
    }

    @Test("A refused callback is retried until the controller takes it; the cancellation is told too")
    func retried() async throws {
        let fixture = try await APIFixture()
        let intake = try await fixture.issue("portal", .intake)
        let receiver = CallbackReceiver(failFirst: 2)
        try await receiver.application().test(.live) { controller async throws in
            let url = "http://127.0.0.1:\(try #require(controller.port))/callbacks"
            try await fixture.application().test(.router) { client async throws in
                let body = OpenDSRBody().with("status_callback_urls", [url]).buffer
                #expect(try await client.execute(uri: "/opengdpr_requests", method: .post, headers: .bearer(intake), body: body).status == .created)
                await fixture.callbacks.waitForDeliveries()
                #expect(try await client.execute(uri: "/opengdpr_requests/\(OpenDSRBody.id)", method: .delete, headers: .bearer(intake)).status == .accepted)
                await fixture.callbacks.waitForDeliveries()
            }
        }
        #expect(receiver.refused == 2)
        let statuses = receiver.received.compactMap { (try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any] }
        #expect(statuses.map { $0["request_status"] as? String } == ["pending", "cancelled"])
    }
}
