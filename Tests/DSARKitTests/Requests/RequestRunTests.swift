import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("Running requests")
struct RequestRunTests {
    @Test("An erasure whose identity is not verified is refused and changes nothing")
    func unverifiedRefused() async throws {
        let fixture = try await RequestFixture()
        let stores = HouseholdFixture.stores()
        let crm = stores["crm"] as! InMemoryStore
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        await #expect(throws: DSARError.self) { try await fixture.run(stores).erase(request.id) }
        #expect(crm.rows(of: "customers").count == 4)
        #expect(try await fixture.book.request(request.id).status == .open)
        #expect(try fixture.ledger.certificate(of: request.id) == nil)
        // Access is refused the same way.
        let access = try await fixture.book.open(.access, subject: try fixture.subject("email:amel.benali@example.tn"))
        let out = fixture.folder.appendingPathComponent("amel.tar.gz")
        await #expect(throws: DSARError.self) {
            try await fixture.run(stores).access(access.id, to: out, options: AccessPackageOptions(format: .tarGzip, encryption: .none, requestID: "x"))
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // A request of the wrong kind is refused too.
        await #expect(throws: DSARError.self) { try await fixture.run(stores).erase(access.id, override: .force(reason: "x")) }
    }

    @Test("Forcing an unverified run needs a reason, which the audit log keeps")
    func forced() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        await #expect(throws: DSARError.self) { try await fixture.run(HouseholdFixture.stores()).erase(request.id, override: .force(reason: " ")) }
        let outcome = try await fixture.run(HouseholdFixture.stores())
            .erase(request.id, override: .force(reason: "court order 2026/117 names the customer"))
        #expect(outcome.isComplete)
        let closed = try await fixture.book.request(request.id)
        #expect(closed.forced && closed.status == .completed && closed.runID == request.id)
        let forced = try await fixture.book.timeline(of: request.id).first { $0.event == "request.forced" }
        #expect(forced?.detail == "run without verified identity: court order 2026/117 names the customer")
    }

    @Test("The timeline comes from the audit chain: opened, verified, extended, the run's steps, closed; Art. 19 notices follow")
    func timelineAndNotices() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"), channel: .email)
        try await fixture.book.verify(request.id, method: "reply from the address on file")
        try fixture.set("2026-02-03T10:00:00Z")
        try await fixture.book.extend(request.id, months: 1, reason: "archived recordings")
        _ = try await fixture.book.open(.access, subject: try fixture.subject("customer_id:2"))
        try fixture.set("2026-02-20T10:00:00Z")
        let outcome = try await fixture.run(HouseholdFixture.stores()).erase(request.id)
        #expect(outcome.isComplete)
        let events = try await fixture.book.timeline(of: request.id).map(\.event)
        #expect(events.prefix(4) == ["request.opened", "request.verified", "request.extended", "run.planned"])
        #expect(events.suffix(2) == ["run.completed", "request.closed"])
        #expect(events.contains("step.done"))
        let timeline = try await fixture.book.timeline(of: request.id)
        #expect(timeline[1].detail == "identity verified: reply from the address on file")
        #expect(timeline[2].detail == "extended by 1 month to 2026-03-31: archived recordings")
        #expect(timeline.last?.at.hasPrefix("2026-02-20") == true)
        #expect(try fixture.ledger.verifyAudit().isIntact)

        let notices = ErasureNotice.notices(for: outcome.certificate, catalog: fixture.catalog)
        #expect(notices == [ErasureNotice(recipient: "Quality auditor: Qualimetrie SAS", collections: ["calls"]),
                            ErasureNotice(recipient: "Carrier: Aramex Tunisie", collections: ["calls", "orders"])])
    }

    @Test("A run finished by resume and a second run that closes the request: the notices cover both certificates")
    func interruptedRun() async throws {
        let fixture = try await RequestFixture()
        let request = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        try await fixture.book.verify(request.id, method: "reply from the address on file")
        let stores = HouseholdFixture.stores()
        // As if `dsar request run` was killed and `dsar erase --resume` finished its run: the request is still open.
        let first = try await Erasure(catalog: fixture.catalog, stores: stores, ledger: fixture.ledger)
            .execute(try await fixture.book.subject(of: request.id), requestID: request.id)
        #expect(first.isComplete && first.certificate.recipients.count == 2)
        #expect(try await fixture.book.request(request.id).status == .open)
        let second = try await fixture.run(stores).erase(request.id)
        #expect(second.isComplete && second.certificate.requestID == "\(request.id).2")
        #expect(try await fixture.book.request(request.id).runID == "\(request.id).2")
        #expect(try await fixture.book.certificates(of: request.id).map(\.requestID) == [request.id, "\(request.id).2"])
        #expect(try await fixture.book.notices(of: request.id, catalog: fixture.catalog).map(\.recipient)
                == ["Quality auditor: Qualimetrie SAS", "Carrier: Aramex Tunisie"])
    }

    @Test("After a restore, replay erases what came back, once; later erasures only; the suppression list answers by HMAC")
    func replay() async throws {
        let fixture = try await RequestFixture()
        let amel = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"))
        try await fixture.book.verify(amel.id, method: "reply from the address on file")
        let live = HouseholdFixture.stores()
        #expect(try await fixture.run(live).erase(amel.id).isComplete)
        let suppression = SuppressionList(book: fixture.book)
        #expect(try await suppression.contains(SubjectIdentifier(parsing: "email:AMEL.benali@example.tn", catalog: fixture.catalog)))
        #expect(try await suppression.contains(SubjectIdentifier(parsing: "customer_id:3", catalog: fixture.catalog)))
        #expect(try await !suppression.contains(SubjectIdentifier(parsing: "customer_id:2", catalog: fixture.catalog)))

        // Nothing to do on the live data.
        try fixture.set("2026-02-02T09:00:00Z")
        let clean = try await BackupReplay(catalog: fixture.catalog, stores: live, book: fixture.book).replay(since: Date(timeIntervalSince1970: 0))
        #expect(clean.items.map(\.status) == ["clean"])

        // The backup of 2026-01-30 comes back.
        let restored = HouseholdFixture.stores()
        let since = try Date("2026-01-30T00:00:00Z", strategy: .iso8601)
        let dry = try await BackupReplay(catalog: fixture.catalog, stores: restored, book: fixture.book).replay(since: since, dryRun: true)
        #expect(dry.items.map(\.status) == ["found"])
        #expect((restored["crm"] as! InMemoryStore).rows(of: "customers").count == 4)
        let report = try await BackupReplay(catalog: fixture.catalog, stores: restored, book: fixture.book).replay(since: since)
        #expect(report.items.map(\.status) == ["erased"])
        #expect(report.items.first?.deleted ?? 0 > 0 && report.items.first?.files ?? 0 > 0)
        #expect(report.items.first?.runID == "\(amel.id).replay-20260202090000")
        let crm = restored["crm"] as! InMemoryStore
        #expect(crm.rows(of: "customers").map { $0["id"] } == [.integer(2), .integer(4)])
        #expect(try await fixture.book.timeline(of: amel.id).map(\.event).contains("request.replayed"))
        let again = try await BackupReplay(catalog: fixture.catalog, stores: restored, book: fixture.book).replay(since: since)
        #expect(again.items.map(\.status) == ["clean"])
        // A backup taken after the erasure holds nothing to replay.
        let later = try await BackupReplay(catalog: fixture.catalog, stores: HouseholdFixture.stores(), book: fixture.book)
            .replay(since: try Date("2026-02-01T00:00:00Z", strategy: .iso8601))
        #expect(later.items.isEmpty)

        // At the end of the accountability period the identifiers go; the HMACs stay, replay says it cannot check.
        #expect(try await fixture.book.purgeIdentifiers(closedBefore: CalendarDay("2026-01-31")!).isEmpty)
        #expect(try await fixture.book.purgeIdentifiers(closedBefore: CalendarDay("2026-02-01")!) == [amel.id])
        await #expect(throws: DSARError.self) { try await fixture.book.subject(of: amel.id) }
        #expect(try await suppression.contains(SubjectIdentifier(parsing: "email:amel.benali@example.tn", catalog: fixture.catalog)))
        let purged = try await BackupReplay(catalog: fixture.catalog, stores: HouseholdFixture.stores(), book: fixture.book).replay(since: since)
        #expect(purged.items.map(\.status) == ["purged"] && !purged.isFinished)
        #expect(try await fixture.book.timeline(of: amel.id).last?.event == "request.purged")
        #expect(try fixture.ledger.verifyAudit().isIntact)
    }

    @Test("A scoped erasure request erases only its records, is replayed with its scope after a restore, and never marks the person fully erased")
    func scopedRequestAndReplay() async throws {
        let fixture = try await RequestFixture()
        let scope = RequestScope(records: [ScopedRecord(collection: "calls", key: "14")])
        let amel = try await fixture.book.open(.erasure, subject: try fixture.subject("email:amel.benali@example.tn"), scope: scope)
        #expect(try await fixture.book.scope(of: amel.id) == scope)
        try await fixture.book.verify(amel.id, method: "reply from the address on file")
        let live = HouseholdFixture.stores()
        let outcome = try await fixture.run(live).erase(amel.id)
        #expect(outcome.isComplete)
        #expect(outcome.plan.scope != nil, "the run took the request's scope")
        let remaining: [Value] = [.integer(10), .integer(11), .integer(12), .integer(13), .integer(15)]
        #expect((live["crm"] as! InMemoryStore).rows(of: "calls").map { $0["id"] } == remaining)
        #expect((live["crm"] as! InMemoryStore).rows(of: "customers").count == 4, "a customer row outside the scope went")
        let email = try SubjectIdentifier(parsing: "email:amel.benali@example.tn", catalog: fixture.catalog)
        #expect(try await !SuppressionList(book: fixture.book).contains(email), "one call erased is not the person erased")

        // The backup of 2026-01-30 comes back: replay erases that call again, and only it.
        try fixture.set("2026-02-02T09:00:00Z")
        let restored = HouseholdFixture.stores()
        let since = try Date("2026-01-30T00:00:00Z", strategy: .iso8601)
        let report = try await BackupReplay(catalog: fixture.catalog, stores: restored, book: fixture.book).replay(since: since)
        #expect(report.items.map(\.status) == ["erased"])
        #expect((restored["crm"] as! InMemoryStore).rows(of: "calls").map { $0["id"] } == remaining)
        #expect((restored["crm"] as! InMemoryStore).rows(of: "customers").count == 4)
        let again = try await BackupReplay(catalog: fixture.catalog, stores: restored, book: fixture.book).replay(since: since)
        #expect(again.items.map(\.status) == ["clean"], "a scope that finds nothing any more is clean, not a failure")
    }
}
