import DSARKit
import DSARKitService
import DSARKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Console runs")
struct ConsoleRunTests {
    @Test("Run on a verified access request shows the passphrase once and a download link that works once")
    func downloadOnce() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.access, subject: try fixture.subject("email:\(ConsoleFixture.amelEmail)"))
        try await fixture.book.verify(request.id, method: "reply from the address on file")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            let run = try await browser.get("/console/requests/\(request.id)/run")
            #expect(run.text.contains("id=\"make-package\""))
            let result = try await Self.run(request.id, browser, fixture)
            #expect(result.status == .ok)
            let page = result.text
            let passphrase = try #require(Self.between(page, "<p class=\"secret\" id=\"passphrase\">", "</p>"))
            #expect(passphrase.count >= Passphrase.minimumLength)
            let link = try #require(Self.between(page, "<a href=\"/console/downloads/", "\""))
            #expect(try await fixture.book.request(request.id).status == .completed)

            let download = try await browser.get("/console/downloads/\(link)")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/zip")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"\(request.id).zip\"")
            #expect(Array(download.body.readableBytesView.prefix(2)) == Array("PK".utf8))
            #expect(download.body.readableBytes > 500)
            let again = try await browser.get("/console/downloads/\(link)")
            #expect(again.status == .gone, "the link is single-use")
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.packagesFolder.path).isEmpty, "the package left the server")
            #expect(try await browser.get("/console/downloads/not-a-link").status == .gone)
            let later = try await browser.get("/console/requests/\(request.id)").text
            #expect(!later.contains(passphrase), "the passphrase is shown once, never again")
            let result2 = try await browser.get("/console/requests/\(request.id)/run").text
            #expect(!result2.contains(passphrase) && result2.contains("id=\"passphrase-shown\""), "not on the run's page either")
        }
    }

    @Test("A download link expires")
    func linkExpires() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:2"))
        try await fixture.book.verify(request.id, method: "ID card at the counter")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            try await browser.get("/console/requests/\(request.id)/run")
            let page = try await Self.run(request.id, browser, fixture).text
            let link = try #require(Self.between(page, "<a href=\"/console/downloads/", "\""))
            fixture.clock.set(fixture.clock.now.addingTimeInterval(15 * 60 + 1))
            #expect(try await browser.get("/console/downloads/\(link)").status == .gone)
        }
    }

    @Test("An erasure shows its plan, changes nothing until approved, then runs, verifies and shows certificate and Art. 19 notices")
    func approveErasure() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:\(ConsoleFixture.amelEmail)"))
        try await fixture.book.verify(request.id, method: "called back on the number on file")
        let crm = fixture.stores["crm"] as! InMemoryStore
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            let plan = try await browser.get("/console/requests/\(request.id)/run").text
            #expect(plan.contains("<tr data-collection=\"customers\"><th>customers</th><td>1</td>"))
            #expect(plan.contains("id=\"approve\""))
            #expect(crm.rows(of: "customers").count == 2, "the plan changed nothing")
            #expect(try await fixture.book.request(request.id).status == .open)

            let result = try await Self.run(request.id, browser, fixture)
            #expect(result.status == .ok)
            let page = result.text
            // Booleans, so a failure never prints the page.
            let complete = page.contains("<p class=\"ok\" id=\"outcome\">Erasure complete: verification found nothing left.</p>")
            let certificate = page.contains("<pre id=\"certificate\">")
            let notice = page.contains("<li>Carrier: Aramex Tunisie: orders</li>")
            #expect(complete)
            #expect(certificate)
            #expect(notice)
            #expect(ConsoleFixture.leaks(in: page) == 0, "no personal value on the result page")
            #expect(crm.rows(of: "customers").count == 1, "Amel's customer row is gone, Youssef's stays")
            #expect(crm.rows(of: "calls").count == 2, "the household line's other calls stay")
            let closed = try await fixture.book.request(request.id)
            #expect(closed.status == .completed && closed.runID == request.id)
        }
    }

    @Test("An unverified request does not run: the page says why and nothing changes")
    func unverifiedRefused() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:1"))
        let crm = fixture.stores["crm"] as! InMemoryStore
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            try await browser.get("/console/requests/\(request.id)/run")
            let result = try await browser.post("/console/requests/\(request.id)/run", [:])
            #expect(result.status == .badRequest)
            #expect(result.text.contains("is not verified (Art. 12(6))"))
            #expect(crm.rows(of: "customers").count == 2)
            #expect(try await fixture.book.request(request.id).status == .open)
        }
    }

    /// Posts "Run": the answer comes at once, a 303 to the run's page; once the queue is done,
    /// that page shows the result.
    static func run(_ id: String, _ browser: ConsoleSession, _ fixture: ConsoleFixture) async throws -> TestResponse {
        let queued = try await browser.post("/console/requests/\(id)/run", [:])
        #expect(queued.status == .seeOther && queued.location == "/console/requests/\(id)/run")
        await fixture.service.runs.finished(id)
        return try await browser.get("/console/requests/\(id)/run")
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let range = text.range(of: start) else { return nil }
        let rest = text[range.upperBound...]
        guard let stop = rest.range(of: end) else { return nil }
        return String(rest[..<stop.lowerBound])
    }
}
