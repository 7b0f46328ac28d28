import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Scoped erasure")
struct ScopedErasureTests {
    @Test("Erasing one call masks it and deletes its recording; the subject's other calls, their recordings and everyone else's rows stay")
    func oneCall() async throws {
        let fixture = try ScopeFixture()
        let (customer, calls) = try fixture.customerWithCalls()
        let target = calls[0], others = calls.dropFirst()
        let before = try fixture.snapshot()
        let stores = try StoreSet.open(for: fixture.catalog, readOnly: false)
        let erasure = Erasure(catalog: fixture.catalog, stores: stores, ledger: try fixture.ledger())
        let subject = try DataSubject(parsing: ["customer_id:\(customer)"], catalog: fixture.catalog)
        let scope = RequestScope(records: [ScopedRecord(collection: "calls", key: "\(target.id)")])

        let outcome = try await erasure.execute(subject, scope: scope)

        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(outcome.certificate.verification == "complete for the scope")
        #expect(outcome.certificate.scope == "selected")
        #expect(outcome.certificate.scopeStatement?.parts.map(\.collection) == ["calls", "recordings"])
        #expect(outcome.certificate.scopeStatement?.parts.first?.days == [target.day])
        let after = try fixture.snapshot()
        let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        #expect(changed == Set(["calls:\(target.id)"] + target.recordings.map { "recordings:\($0)" }))
        #expect(target.recordings.allSatisfy { after["recordings:\($0)"] == nil }, "the call's recording row is deleted")
        #expect(after["calls:\(target.id)"] != nil, "calls are masked, not deleted")
        for recording in target.recordings {
            let path = fixture.dataSet.recordingsURL.appendingPathComponent(try fixture.recordingPathBefore(recording, before)).path
            #expect(!FileManager.default.fileExists(atPath: path), "the call's recording file is gone")
        }
        for call in others {
            for recording in call.recordings {
                let path = fixture.dataSet.recordingsURL.appendingPathComponent(try fixture.recordingPath(recording)).path
                #expect(FileManager.default.fileExists(atPath: path), "another call's recording stays")
            }
        }
        let json = String(decoding: try outcome.certificate.json(), as: UTF8.self)
        #expect(json.contains("\"days\"") && !json.contains("customer_id:"))
        try outcome.certificate.verifySignature()
    }

    @Test("The plan leaves the subject's other records out of scope and states the scope")
    func plan() async throws {
        let fixture = try ScopeFixture()
        let (customer, calls) = try fixture.customerWithCalls()
        let erasure = Erasure(catalog: fixture.catalog, stores: try StoreSet.open(for: fixture.catalog), ledger: try fixture.ledger())
        let subject = try DataSubject(parsing: ["customer_id:\(customer)"], catalog: fixture.catalog)
        let day = try #require(CalendarDay(calls[1].day))
        let plan = try await erasure.plan(for: subject, scope: RequestScope(collections: ["calls"], between: try DayRange(from: day, to: day)))
        #expect(plan.collection("calls")?.masked == ["id=\(calls[1].id)"])
        #expect(plan.collection("calls")?.outOfScope.contains("id=\(calls[0].id)") == true)
        #expect(plan.collection("recordings")?.deleted == calls[1].recordings.map { "id=\($0)" })
        #expect(plan.collection("customers")?.deleted.isEmpty != false && plan.collection("customers")?.masked.isEmpty != false)
        #expect(plan.collection("customers")?.outOfScope == ["id=\(customer)"])
        #expect(plan.scopeStatement?.summary == "calls: 1 record (\(calls[1].day)); recordings: 1 record of calls (\(calls[1].day))")
    }

    @Test("Bad scopes are refused naming the flag, and nothing is touched")
    func badScopes() async throws {
        let fixture = try ScopeFixture()
        let (customer, _) = try fixture.customerWithCalls()
        let before = try fixture.snapshot()
        let erasure = Erasure(catalog: fixture.catalog, stores: try StoreSet.open(for: fixture.catalog, readOnly: false),
                              ledger: try fixture.ledger())
        let subject = try DataSubject(parsing: ["customer_id:\(customer)"], catalog: fixture.catalog)
        // Another customer's call, and a call that does not exist: refused alike.
        let foreign = try await fixture.queue.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM calls WHERE customer_id IS NOT NULL AND customer_id <> ? LIMIT 1", arguments: [customer])!
        }
        let cases: [(RequestScope, String)] = [
            (RequestScope(collections: ["nope"]), "--only"),
            (RequestScope(records: [ScopedRecord(collection: "nope", key: "1")]), "--record"),
            (RequestScope(records: [ScopedRecord(collection: "calls", key: "number=1")]), "--record calls"),
            (RequestScope(records: [ScopedRecord(collection: "calls", key: "\(foreign)")]), "--record calls"),
            (RequestScope(records: [ScopedRecord(collection: "calls", key: "99999999")]), "--record calls"),
            (RequestScope(between: try DayRange(parsing: "1999-01-01..1999-01-02")), "scope"),
        ]
        var messages: [String] = []
        for (scope, place) in cases {
            let error = await #expect(throws: DSARError.self) { _ = try await erasure.execute(subject, scope: scope) }
            #expect(error?.code == .invalidRequest)
            #expect(error?.location == place, "\(scope)")
            #expect(error?.message.contains("nothing was touched") == true)
            messages.append(error?.message ?? "")
        }
        #expect(messages[3] == messages[4], "a record of another person is refused as one that does not exist")
        #expect(try fixture.snapshot() == before)
        #expect(throws: DSARError.self) { try DayRange(parsing: "2026-03-15..2026-03-01") }
        #expect(throws: DSARError.self) { try DayRange(parsing: "15/03/2026") }
        #expect(throws: DSARError.self) { try ScopedRecord(parsing: "calls") }
        #expect(throws: DSARError.self) { try ScopedRecord(parsing: "calls:") }
    }

    @Test("time: is read from the catalog; a malformed one is an error naming its line")
    func timeKey() throws {
        let fixture = try ScopeFixture()
        #expect(fixture.catalog.collection(named: "calls")?.time == "started_at")
        let text = try String(contentsOf: fixture.dataSet.catalogURL, encoding: .utf8)
            .replacingOccurrences(of: "    time: started_at\n", with: "    time: { column: started_at }\n")
        let url = fixture.dataSet.directory.appendingPathComponent("bad.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let error = #expect(throws: CatalogError.self) { try Catalog.load(from: url) }
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("time: { column") }! + 1
        let problem = error?.problems.first { $0.message.contains("'time' of collection 'calls'") }
        #expect(problem?.place.hasPrefix("bad.yaml:\(line):") == true, "\(error?.problems ?? [])")
    }
}

extension ScopeFixture {
    /// A recording's path as the snapshot taken before the erasure holds it.
    func recordingPathBefore(_ id: Int64, _ snapshot: [String: String]) throws -> String {
        let row = try #require(snapshot["recordings:\(id)"])
        let match = try #require(row.firstMatch(of: /path:"([^"]+)"/))
        return String(match.1)
    }
}
