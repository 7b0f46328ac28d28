import DSARKit
import DSARKitTesting
import Foundation
import GRDB
import Testing

@Suite("Request book")
struct RequestBookTests {
    @Test("Opening a request: sequential id, due date, identifiers encrypted at rest and found by HMAC, audit without personal data")
    func open() async throws {
        let fixture = try await RequestFixture()
        let subject = try fixture.subject("email:Amel.BenAli@example.tn", "phone:+216 98 123 456")
        let request = try await fixture.book.open(.erasure, subject: subject, channel: .phone, note: "called about Ben Ali's account")
        #expect(request.id == "R-2026-0001")
        #expect(request.due == CalendarDay("2026-02-28"))
        #expect(request.status == .open && !request.isVerified)
        let second = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:2"), received: CalendarDay("2026-01-02"))
        #expect(second.id == "R-2026-0002" && second.due == CalendarDay("2026-02-02"))
        #expect(try await fixture.book.subject(of: request.id) == subject)
        #expect(try await fixture.book.note(of: request.id) == "called about Ben Ali's account")
        let email = try SubjectIdentifier(parsing: "email:amel.benali@EXAMPLE.tn", catalog: fixture.catalog)
        #expect(try await fixture.book.requests(naming: email).map(\.id) == [request.id])
        #expect(try await fixture.book.requests(naming: SubjectIdentifier(parsing: "customer_id:1", catalog: fixture.catalog)).isEmpty)
        await #expect(throws: DSARError.self) { try await fixture.book.open(.access, subject: subject, received: CalendarDay("2026-02-01")) }

        let queue = try DatabaseQueue(path: fixture.ledger.url.path)
        let dump = try await queue.read { db in
            try String.fetchAll(db, sql: "SELECT quote(subject) || quote(note) || id || kind || due FROM requests")
                + String.fetchAll(db, sql: "SELECT event || detail FROM audit")
        }.joined(separator: "\n")
        for personal in ["amel", "Amel", "98123456", "Ben Ali", "example.tn"] { #expect(!dump.contains(personal), "\(personal)") }
        #expect(dump.contains("identifiers: email, phone"))
        #expect(FileManager.default.fileExists(atPath: fixture.folder.appendingPathComponent(".dsar/requests.key").path))

        // Another key cannot open the identifiers.
        try Data(SealingKeyBytes.other.utf8).write(to: fixture.ledger.sealingKeyURL)
        let other = try await RequestBook(ledger: fixture.ledger)
        await #expect(throws: DSARError.self) { try await other.subject(of: request.id) }
    }

    @Test("The overdue and due-soon lists follow the injected clock and leave closed requests out")
    func overdue() async throws {
        let fixture = try await RequestFixture(now: "2026-03-10T12:00:00Z")
        let subject = try fixture.subject("customer_id:1")
        let january = try await fixture.book.open(.access, subject: subject, received: CalendarDay("2026-01-31"))   // due 02-28
        let february = try await fixture.book.open(.erasure, subject: subject, received: CalendarDay("2026-02-14"))  // due 03-14
        let march = try await fixture.book.open(.portability, subject: subject, received: CalendarDay("2026-03-01")) // due 04-01
        let rejected = try await fixture.book.open(.access, subject: subject, received: CalendarDay("2026-01-05"))  // due 02-05
        try await fixture.book.reject(rejected.id, reason: "manifestly unfounded: a fourth identical request this month")

        #expect(try await fixture.book.list().map(\.id) == [rejected.id, january.id, february.id, march.id])
        #expect(try await fixture.book.list(RequestFilter(overdue: true)).map(\.id) == [january.id])
        #expect(try await fixture.book.list(RequestFilter(dueWithinDays: 7)).map(\.id) == [january.id, february.id])
        #expect(try await fixture.book.list(RequestFilter(includeClosed: false)).map(\.id) == [january.id, february.id, march.id])
        try fixture.set("2026-03-15T00:00:00Z")
        #expect(try await fixture.book.list(RequestFilter(overdue: true)).map(\.id) == [january.id, february.id])
        try fixture.set("2026-02-01T00:00:00Z")
        #expect(try await fixture.book.list(RequestFilter(overdue: true)).isEmpty)
        #expect(try await fixture.book.request(january.id).deadline.daysLeft(on: fixture.book.today) == 27)
    }

    @Test("An extension is kept with its reason, refused after the first month and beyond three months")
    func extend() async throws {
        let fixture = try await RequestFixture(now: "2026-02-20T08:00:00Z")
        let request = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:1"), received: CalendarDay("2026-01-31"))
        let deadline = try await fixture.book.extend(request.id, months: 1, reason: "recordings on 14 archive tapes")
        #expect(deadline.due == CalendarDay("2026-03-31"))
        #expect(try await fixture.book.request(request.id).extensionReason == "recordings on 14 archive tapes")
        await #expect(throws: DSARError.self) { try await fixture.book.extend(request.id, months: 2, reason: "more tapes") }
        await #expect(throws: DSARError.self) { try await fixture.book.extend(request.id, months: 1, reason: "  ") }
        try fixture.set("2026-03-01T08:00:00Z")
        await #expect(throws: DSARError.self) { try await fixture.book.extend(request.id, months: 1, reason: "late") }
        #expect(try await fixture.book.request(request.id).due == CalendarDay("2026-03-31"))
        #expect(try await fixture.book.timeline(of: request.id).map(\.event) == ["request.opened", "request.extended"])
    }

    @Test("A rejected request is closed: it cannot be verified, extended or run")
    func reject() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:1"))
        try await fixture.book.reject(request.id, reason: "the requester could not show they are the customer")
        #expect(try await fixture.book.request(request.id).status == .rejected)
        await #expect(throws: DSARError.self) { try await fixture.book.verify(request.id, method: "too late") }
        await #expect(throws: DSARError.self) {
            try await fixture.run(HouseholdFixture.stores()).erase(request.id, override: .force(reason: "x"))
        }
        await #expect(throws: DSARError.self) { try await fixture.book.request("R-2026-0099") }
    }
}

enum SealingKeyBytes {
    static let other = Data(repeating: 7, count: 32).base64EncodedString()
}
