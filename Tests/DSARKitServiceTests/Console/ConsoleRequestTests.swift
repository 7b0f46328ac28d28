import DSARKit
import DSARKitService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Console requests")
struct ConsoleRequestTests {
    @Test("The list puts overdue requests first and marks them, then sorts by due date with days left; filters work")
    func listOrder() async throws {
        let fixture = try await ConsoleFixture(now: "2026-03-10T09:00:00Z")
        let password = try await fixture.addOfficer()
        let late = try await fixture.book.open(.erasure, subject: try fixture.subject("customer_id:1"), received: CalendarDay("2026-01-20")!)
        let soon = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:2"), received: CalendarDay("2026-02-15")!)
        let later = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:1"), received: CalendarDay("2026-03-01")!)
        let closed = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:2"), received: CalendarDay("2026-01-05")!)
        try await fixture.book.reject(closed.id, reason: "manifestly unfounded")
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            let page = try await browser.get("/console/requests").text
            #expect(Self.ids(in: page) == [late.id, soon.id, later.id], "overdue first, then by due date; closed hidden")
            #expect(page.contains("<tr class=\"request overdue\" data-id=\"\(late.id)\">"))
            #expect(page.contains("<td>-18 <span class=\"badge\">Overdue</span></td>"), "20 February was 18 days ago")
            #expect(page.contains("<td>5</td>"), "15 March is in 5 days")
            let overdue = try await browser.get("/console/requests?show=overdue").text
            #expect(Self.ids(in: overdue) == [late.id])
            let accessOnly = try await browser.get("/console/requests?kind=access").text
            #expect(Self.ids(in: accessOnly) == [soon.id, later.id])
            let all = try await browser.get("/console/requests?show=all").text
            #expect(Self.ids(in: all) == [late.id, closed.id, soon.id, later.id])
        }
    }

    @Test("Open, verify, extend and reject from the console land in the ledger and its audit chain, with the officer's name")
    func changesLandInLedger() async throws {
        let fixture = try await ConsoleFixture(now: "2026-03-10T09:00:00Z")
        let password = try await fixture.addOfficer()
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            try await browser.get("/console/requests/new")
            let opened = try await browser.post("/console/requests", [
                "kind": "erasure", "identifiers": "email:\(ConsoleFixture.amelEmail)\nphone:\(ConsoleFixture.amelMobile)",
                "received": "2026-03-02", "channel": "phone", "note": "called the hotline"])
            #expect(opened.status == .seeOther)
            let id = try #require(opened.location?.split(separator: "/").last.map(String.init))
            var request = try await fixture.book.request(id)
            #expect(request.kind == .erasure && request.channel == .phone && "\(request.deadline.received)" == "2026-03-02")
            #expect(try await fixture.book.subject(of: id).identifiers.map(\.type).sorted() == ["email", "phone"])
            #expect(try await fixture.book.note(of: id) == "called the hotline")

            try await browser.get("/console/requests/\(id)")
            #expect(try await browser.post("/console/requests/\(id)/verify", ["method": "called back on the number on file"]).status == .seeOther)
            try await browser.get("/console/requests/\(id)")
            #expect(try await browser.post("/console/requests/\(id)/extend", ["months": "1", "reason": "archived recordings"]).status == .seeOther)
            request = try await fixture.book.request(id)
            #expect(request.verification == "called back on the number on file (officer alice)")
            #expect("\(request.due)" == "2026-05-02")

            try await browser.get("/console/requests/\(id)")
            #expect(try await browser.post("/console/requests/\(id)/reject", ["reason": "manifestly excessive"]).status == .seeOther)
            #expect(try await fixture.book.request(id).status == .rejected)
            let timeline = try await fixture.book.timeline(of: id)
            #expect(timeline.map(\.event) == ["request.opened", "request.verified", "request.extended", "request.rejected"])
            #expect(timeline.dropFirst().allSatisfy { $0.detail.hasSuffix("(officer alice)") })
            #expect(try fixture.ledger.verifyAudit().isIntact)

            let page = try await browser.get("/console/requests/\(id)").text
            #expect(page.contains("<code>request.rejected</code>"), "the timeline is on the request's page")
            let bad = try await browser.post("/console/requests", ["kind": "access", "identifiers": "shoe_size:42"])
            #expect(bad.status == .badRequest, "an unknown identifier type is a clear error")
            #expect(try await fixture.book.list().count == 1, "and opens nothing")
        }
    }

    @Test("Preview lists records by collection and key with the chain that found them, conflicts apart, and no contents")
    func previewShowsKeysNotContents() async throws {
        let fixture = try await ConsoleFixture()
        let password = try await fixture.addOfficer()
        let request = try await fixture.book.open(.access, subject: try fixture.subject("email:\(ConsoleFixture.amelEmail)"))
        try await fixture.application().test(.router) { client in
            let browser = ConsoleSession(client)
            try await browser.signIn("alice", password)
            let response = try await browser.get("/console/requests/\(request.id)/preview")
            #expect(response.status == .ok)
            let page = response.text
            for collection in ["customers", "calls", "orders", "addresses"] {
                let hasTable = page.contains("data-collection=\"\(collection)\"")
                #expect(hasTable, "a table for \(collection)")
            }
            // Booleans, so a failure never prints the page (it could hold personal data).
            let namesCall = page.contains("<td class=\"record\">calls[id=10]</td>")
            #expect(namesCall)
            let chainByType = page.contains("customers[id=1] has the email in email")
            #expect(chainByType, "the chain names the type and column, not the value")
            let othersCall = page.contains("calls[id=11]")
            #expect(!othersCall, "Youssef's call is not Amel's")
            let leaked = ConsoleFixture.leaks(in: page)
            #expect(leaked == 0, "no personal value on the preview page")
        }
    }

    static func ids(in page: String) -> [String] {
        page.components(separatedBy: "data-id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
