import DSARKit
import Foundation
import Testing

@Suite("Cancelling a request")
struct RequestCancelTests {
    @Test("A request withdrawn before it was acted on closes as cancelled, with its reason in the timeline; a closed one cannot be cancelled")
    func cancel() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.access, subject: try fixture.subject("email:amel.benali@example.tn"), channel: .portal)
        try await fixture.book.cancel(request.id, reason: "withdrawn by the person")
        let cancelled = try await fixture.book.request(request.id)
        #expect(cancelled.status == .cancelled && !cancelled.status.isPending && cancelled.closedAt != nil)
        let timeline = try await fixture.book.timeline(of: request.id).map(\.event)
        #expect(timeline.last == "request.cancelled")
        await #expect(throws: DSARError.self) { try await fixture.book.cancel(request.id, reason: "again") }
        await #expect(throws: DSARError.self) { try await fixture.book.verify(request.id, method: "too late") }
    }

    @Test("Cancelling only before verification refuses a verified request and leaves it open")
    func onlyBeforeVerification() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        try await fixture.book.verify(request.id, method: "called back on the number on file")
        await #expect(throws: DSARError.self) {
            try await fixture.book.cancel(request.id, reason: "cancelled by the controller", onlyBeforeVerification: true)
        }
        #expect(try await fixture.book.request(request.id).status == .open)
    }
}
