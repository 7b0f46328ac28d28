import DSARKit
import Foundation

/// What every ``RequestLedger`` must do for a ``RequestBook``: distinct consecutive ids also
/// for requests opened at the same moment, requests read back as written, identifiers only
/// sealed and found by HMAC, all-or-nothing changes each with its audit entry, the
/// suppression list, purging, and an audit chain that verifies.
///
/// `makeLedger` is called once per check and must return a fresh, empty ledger whose key
/// folder is its own:
///
/// ```swift
/// let failures = await RequestLedgerConformance { try MyLedger(keys: LedgerKeys(folder: freshFolder())) }.run()
/// #expect(failures.isEmpty, "\(failures)")
/// ```
public struct RequestLedgerConformance: Sendable {
    private let makeLedger: @Sendable () async throws -> any RequestLedger
    /// 2026-02-10 09:00 UTC: every request is received on or before it.
    private static let now = Date(timeIntervalSince1970: 1_770_714_000)

    public init(makeLedger: @escaping @Sendable () async throws -> any RequestLedger) {
        self.makeLedger = makeLedger
    }

    public func run() async -> [ConformanceFailure] {
        var log = ConformanceLog()
        await check("ids at the same moment", &log) { book, log in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 1...8 {
                    group.addTask { try await book.open(.access, subject: Self.subject("c\(index)")).id }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            log.expect(ids == Set((1...8).map { String(format: "R-2026-%04d", $0) }), "ids at the same moment", "ids: \(ids.sorted())")
            try await Self.expectIntactAudit(book, entries: 8, "ids at the same moment", &log)
        }
        await check("read back as written, sealed, found by HMAC", &log) { book, log in
            let name = "read back as written, sealed, found by HMAC"
            let opened = try await book.open(.erasure, subject: Self.subject("c1", email: "amel@example.tn"),
                                             received: CalendarDay("2026-01-31"), channel: .phone, note: "asked twice")
            let read = try await book.request(opened.id)
            log.expect(read == opened && read.due == CalendarDay("2026-02-28"), name, "read back: \(read.id) due \(read.due)")
            let subject = try await book.subject(of: opened.id)
            log.expect(Set(subject.identifiers) == Set(Self.subject("c1", email: "amel@example.tn").identifiers), name, "identifiers differ")
            log.expect(try await book.note(of: opened.id) == "asked twice", name, "the note does not read back")
            let sealed = try await book.ledger.sealedIdentifiers(of: opened.id)
            let clear = [sealed?.subject, sealed?.note].compactMap { $0 }.contains { blob in
                ["amel@example.tn", "asked twice"].contains { blob.range(of: Data($0.utf8)) != nil }
            }
            log.expect(sealed?.subject != nil && !clear, name, "identifiers or note stored in clear, or not at all")
            let found = try await book.requests(naming: SubjectIdentifier(type: "email", normalizedValue: "amel@example.tn"))
            log.expect(found.map(\.id) == [opened.id], name, "by HMAC: \(found.map(\.id))")
            let none = try await book.requests(naming: SubjectIdentifier(type: "email", normalizedValue: "kim@example.tn"))
            log.expect(none.isEmpty, name, "another identifier finds \(none.map(\.id))")
            log.expect(try await book.ledger.request("R-2026-0404") == nil, name, "an unknown id reads as a request")
        }
        await check("a scope reads back as written, sealed, purged with the identifiers", &log) { book, log in
            let name = "a scope reads back as written, sealed, purged with the identifiers"
            let scope = RequestScope(collections: ["recordings"], records: [ScopedRecord(collection: "calls", key: "id=4711")],
                                     between: try DayRange(parsing: "2026-03-15..2026-03-16"))
            let scoped = try await book.open(.erasure, subject: Self.subject("c1"), scope: scope)
            let whole = try await book.open(.access, subject: Self.subject("c2"))
            log.expect(try await book.scope(of: scoped.id) == scope, name, "the scope does not read back")
            log.expect(try await book.scope(of: whole.id) == nil, name, "a request without a scope reads back with one")
            let sealed = try await book.ledger.sealedIdentifiers(of: scoped.id)
            log.expect(sealed?.scope != nil && sealed?.scope?.range(of: Data("4711".utf8)) == nil, name,
                       "the scope is stored in clear, or not at all")
            _ = try await book.ledger.purgeIdentifiers(of: [scoped.id]) { RequestAuditEntry(event: "request.purged", detail: $0, at: Date()) }
            log.expect(try await book.ledger.sealedIdentifiers(of: scoped.id)?.scope == nil, name, "the scope outlived the purge")
        }
        await check("changes all or nothing, with their entries", &log) { book, log in
            let name = "changes all or nothing, with their entries"
            let id = try await book.open(.access, subject: Self.subject("c1"), received: CalendarDay("2026-01-02")).id
            do {
                try await book.extend(id, months: 1, reason: "too late")
                log.expect(false, name, "an extension after the first month was accepted")
            } catch {}
            try await book.verify(id, method: "called back")
            try await book.reject(id, reason: "manifestly unfounded")
            do {
                try await book.verify(id, method: "again")
                log.expect(false, name, "a rejected request changed")
            } catch {}
            let request = try await book.request(id)
            log.expect(request.status == .rejected && request.verification == "called back" && request.deadline.extensionMonths == 0
                       && request.rejectionReason == "manifestly unfounded" && request.closedAt != nil, name, "stored: \(request)")
            let events = try await book.timeline(of: id).map(\.event)
            log.expect(events == ["request.opened", "request.verified", "request.rejected"], name, "timeline: \(events)")
            do {
                try await book.ledger.updateRequest("R-2026-0404") { RequestChange(request: $0, entry: RequestAuditEntry(event: "x", detail: "x", at: Self.now)) }
                log.expect(false, name, "an unknown request was changed")
            } catch let error as DSARError {
                log.expect(error.code == .invalidRequest, name, "unknown request: \(error.code)")
            }
            try await Self.expectIntactAudit(book, entries: 3, name, &log)
        }
        await check("listed by due day, then as opened", &log) { book, log in
            for (customer, day) in [("c1", "2026-02-01"), ("c2", "2026-01-15"), ("c3", "2026-02-01"), ("c4", "2026-01-20")] {
                try await book.open(.access, subject: Self.subject(customer), received: CalendarDay(day))
            }
            let ids = try await book.list().map(\.id)
            log.expect(ids == ["R-2026-0002", "R-2026-0004", "R-2026-0001", "R-2026-0003"], "listed by due day, then as opened", "\(ids)")
        }
        await check("suppression list and purge", &log) { book, log in
            let name = "suppression list and purge"
            let id = try await book.open(.erasure, subject: Self.subject("c1"), received: CalendarDay("2026-01-20")).id
            let hmac = try book.ledger.keys.maskingKey().hmac(SubjectIdentifier(type: "customer_id", normalizedValue: "c1").description)
            try await book.ledger.updateRequest(id) { request in
                var closed = request
                closed.status = .completed
                closed.closedAt = "2026-02-10T09:00:00Z"
                return RequestChange(request: closed, suppress: [hmac], scope: "full",
                                     entry: RequestAuditEntry(event: "request.closed", detail: "erased", at: Self.now))
            }
            let list = SuppressionList(book: book)
            log.expect(try await list.contains(SubjectIdentifier(type: "customer_id", normalizedValue: "c1")), name, "not suppressed")
            log.expect(try await !list.contains(SubjectIdentifier(type: "customer_id", normalizedValue: "c2")), name, "another is suppressed")
            let entries = try await list.entries(since: Self.now.addingTimeInterval(-60))
            log.expect(entries.map(\.requestID) == [id] && entries.first?.identifiers == 1 && entries.first?.scope == "full", name,
                       "entries: \(entries)")
            log.expect(try await list.entries(since: Self.now.addingTimeInterval(60)).isEmpty, name, "an entry after its time")
            let purged = try await book.purgeIdentifiers(closedBefore: CalendarDay("2026-02-11")!)
            log.expect(purged == [id], name, "purged \(purged)")
            log.expect(try await book.purgeIdentifiers(closedBefore: CalendarDay("2026-02-11")!).isEmpty, name, "purged twice")
            log.expect(try await book.ledger.sealedIdentifiers(of: id)?.subject == nil, name, "identifiers kept after the purge")
            let found = try await book.requests(naming: SubjectIdentifier(type: "customer_id", normalizedValue: "c1"))
            log.expect(found.isEmpty, name, "found by HMAC after the purge")
            log.expect(try await list.contains(SubjectIdentifier(type: "customer_id", normalizedValue: "c1")), name,
                       "the purge emptied the suppression list")
            try await Self.expectIntactAudit(book, entries: 3, name, &log)
        }
        return log.failures
    }

    private func check(_ name: String, _ log: inout ConformanceLog,
                       _ body: (RequestBook, inout ConformanceLog) async throws -> Void) async {
        do {
            let book = try await RequestBook(ledger: try await makeLedger(), now: { Self.now })
            try await body(book, &log)
        } catch {
            log.record(error, name)
        }
    }

    private static func subject(_ customer: String, email: String? = nil) -> DataSubject {
        DataSubject(identifiers: [SubjectIdentifier(type: "customer_id", normalizedValue: customer)]
                    + (email.map { [SubjectIdentifier(type: "email", normalizedValue: $0)] } ?? []))
    }

    private static func expectIntactAudit(_ book: RequestBook, entries count: Int, _ name: String, _ log: inout ConformanceLog) async throws {
        let entries = try await book.ledger.auditEntries()
        let verification = AuditVerification.check(entries, key: try book.ledger.keys.existingAuditKey())
        log.expect(entries.count == count && verification.isIntact, name,
                   "audit: \(entries.count) entries, \(verification.problems.joined(separator: "; "))")
    }
}
