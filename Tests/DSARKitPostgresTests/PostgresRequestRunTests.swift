import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import Testing

/// Running erasure requests on the shared ledger, which has no erasure lock.
@Suite("Shared ledger request runs")
struct PostgresRequestRunTests {
    struct Interrupted: Error {}

    /// A customer and two calls in memory; customer 8 and its call stay.
    private func stores() -> (StoreSet, InMemoryStore) {
        let store = InMemoryStore(name: "crm")
        store.createTable("customers", columns: ["id", "email"], rows: [[.integer(7), .text("c7@example.com")], [.integer(8), .text("c8@example.com")]])
        store.createTable("calls", columns: ["id", "customer_id"], rows: [[.integer(1), .integer(7)], [.integer(2), .integer(7)], [.integer(3), .integer(8)]])
        return (StoreSet([store]), store)
    }

    private func setUp(_ schema: String) async throws -> (Catalog, PostgresLedger, RequestBook, URL) {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-request-runs-\(UUID().uuidString.prefix(8))")
        let catalog = try Catalog.parse(yaml: """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers: { customer_id: { type: opaque } }
            stores: { crm: { type: memory } }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id }, purpose: Accounts, lawfulBasis: contract, retention: 1 year, erase: delete }
              calls: { store: crm, table: calls, key: id, references: { customer_id: customers.id }, purpose: Calls, lawfulBasis: contract, retention: 1 year, erase: delete, recipients: [Quality auditor] }
            ledger: "\(PostgresTestServer.url ?? "")"
            ledgerPasswordEnv: \(PostgresTestServer.passwordVariable)
            ledgerSchema: \(schema)
            ledgerKeys: \(keys.path)

            """, baseDirectory: keys)
        let ledgerKeys = LedgerKeys(folder: keys)
        try ledgerKeys.generateSigningKey()
        _ = try ledgerKeys.maskingKey()
        let ledger = try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
        return (catalog, ledger, try await RequestBook(ledger: ledger), keys)
    }

    private let customer7 = DataSubject(identifiers: [SubjectIdentifier(type: "customer_id", normalizedValue: "7")])

    @Test("A request run a dead process left unfinished is resumed by the next run, which closes the request under the same run id")
    func resumesItsOwnRun() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, _ in
            let (catalog, ledger, book, keys) = try await setUp(schema)
            defer { try? FileManager.default.removeItem(at: keys) }
            let (stores, store) = stores()
            let request = try await book.open(.erasure, subject: customer7)
            try await book.verify(request.id, method: "called back on the number on file")
            // The process erasing it dies after its first step.
            let failing = FaultInjectingLedger(wrapping: ledger, afterStep: 1, at: .afterJournal) { throw Interrupted() }
            await #expect(throws: Interrupted.self) {
                try await Erasure(catalog: catalog, stores: stores, ledger: failing).execute(customer7, requestID: request.id)
            }
            #expect(try await ledger.unfinishedRuns().map(\.plan.requestID) == [request.id])

            let outcome = try await RequestRun(catalog: catalog, stores: stores, book: book).erase(request.id)
            #expect(outcome.isComplete, "\(outcome.residue)")
            let closed = try await book.request(request.id)
            #expect(closed.status == .completed && closed.runID == request.id, "\(closed)")
            #expect(try await ledger.unfinishedRuns().isEmpty, "no run is left unfinished")
            #expect(try await book.certificates(of: request.id).map(\.requestID) == [request.id])
            #expect(try await book.notices(of: request.id, catalog: catalog).map(\.recipient) == ["Quality auditor"])
            #expect(store.rows(of: "customers").map { $0["id"] } == [.integer(8)])
            #expect(store.rows(of: "calls").map { $0["id"] } == [.integer(3)])
            #expect(try await ledger.checkAudit().isIntact)
        }
    }

    @Test("While one process runs a request, a second run of it is refused and records nothing")
    func secondRunRefused() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, _ in
            let (catalog, ledger, book, keys) = try await setUp(schema)
            defer { try? FileManager.default.removeItem(at: keys) }
            let (stores, store) = stores()
            let request = try await book.open(.erasure, subject: customer7)
            try await book.verify(request.id, method: "called back on the number on file")
            let entries = try await ledger.auditEntries().count
            try await ledger.exclusively(request: request.id) {
                do {
                    _ = try await RequestRun(catalog: catalog, stores: stores, book: book).erase(request.id)
                    Issue.record("a second run of the request went ahead")
                } catch let error as DSARError {
                    #expect(error.code == .erasureInProgress, "\(error.code)")
                }
            }
            #expect(try await ledger.auditEntries().count == entries, "nothing was recorded")
            #expect(store.rows(of: "customers").count == 2 && store.rows(of: "calls").count == 3)
            #expect(try await book.request(request.id).status == .open)
            // Once the first lets go, the request runs.
            #expect(try await RequestRun(catalog: catalog, stores: stores, book: book).erase(request.id).isComplete)
        }
    }
}
