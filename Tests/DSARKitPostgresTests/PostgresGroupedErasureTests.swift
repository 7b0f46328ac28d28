import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Testing

/// A grouped batch (``Erasure/execute(_:onlyBasis:groupSize:report:)``) on a PostgreSQL store
/// and the PostgreSQL ledger: the group's plans and step marks go to the shared ledger in one
/// transaction each, and the result equals one subject at a time.
@Suite("PostgreSQL grouped batch erasure", .serialized)
struct PostgresGroupedErasureTests {
    struct Interrupted: Error {}

    private func setUp(_ schema: String, _ client: PostgresClient) async throws -> (Catalog, StoreSet, PostgresLedger, URL) {
        try await PostgresErasureTests.run(client, """
            CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email text NOT NULL, notes text);
            CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id bigint REFERENCES \(schema).customers(id), notes text);
            CREATE TABLE \(schema).sessions (id bigint PRIMARY KEY, customer_id bigint REFERENCES \(schema).customers(id));
            INSERT INTO \(schema).customers SELECT i, 'c' || i || '@example.com', 'note ' || i FROM generate_series(1, 30) AS i;
            INSERT INTO \(schema).calls SELECT i, 1 + i % 30, 'call ' || i FROM generate_series(1, 90) AS i;
            INSERT INTO \(schema).sessions VALUES (1, 17)
            """)
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-grouped-pg-\(UUID().uuidString.prefix(8))")
        let url = PostgresTestServer.url ?? ""
        let catalog = try Catalog.parse(yaml: """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers: { customer_id: { type: opaque }, email: { type: email } }
            stores:
              crm: { type: postgres, url: "\(url)", passwordEnv: \(PostgresTestServer.passwordVariable), schema: \(schema), maxConnections: 2, connectTimeout: 60 }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id, email: email }, purpose: Accounts, lawfulBasis: contract, retention: 1 year, erase: delete }
              calls: { store: crm, table: calls, key: id, references: { customer_id: customers.id }, purpose: Calls, lawfulBasis: contract, retention: 1 year, erase: delete }
            ledger: "\(url)"
            ledgerPasswordEnv: \(PostgresTestServer.passwordVariable)
            ledgerSchema: \(schema)
            ledgerKeys: \(keys.path)

            """, baseDirectory: keys)
        let ledgerKeys = LedgerKeys(folder: keys)
        try ledgerKeys.generateSigningKey()
        _ = try ledgerKeys.maskingKey()
        let ledger = try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
        let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener], readOnly: false)
        return (catalog, stores, ledger, keys)
    }

    private func scalar(_ client: PostgresClient, _ sql: String) async throws -> String {
        let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT (\(sql))::text"))
        for try await text in rows.decode(String?.self) { return text ?? "NULL" }
        return ""
    }

    @Test("20 subjects in groups of 8 on PostgreSQL: one certificate each, a blocked subject isolated and resumable, nobody else touched")
    func groupedOnPostgres() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let (catalog, stores, ledger, keys) = try await setUp(schema, client)
            defer { try? FileManager.default.removeItem(at: keys); ledger.close() }
            let batch = try ErasureBatch(text: (1...20).map { "customer_id:\($0)" }.joined(separator: "\n"), catalog: catalog)
            let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
            var outcomes: [BatchOutcome] = []
            try await erasure.execute(batch, groupSize: 8) { outcomes.append($0) }
            #expect(outcomes.map(\.line) == Array(1...20), "one outcome per subject, in batch order")
            #expect(outcomes.filter { $0.status == "completed" }.count == 19)
            let blocked = outcomes.first { $0.line == 17 }
            #expect(blocked?.status == "failed" && blocked?.error?.contains("sessions") == true, "\(String(describing: blocked?.error))")
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).customers WHERE id <= 20") == "1", "only the blocked one is left")
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).customers WHERE id > 20") == "10", "nobody else touched")
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).calls WHERE customer_id <= 20") == "0", "calls go before their customer, as one at a time")
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).calls WHERE customer_id > 20") == "30", "nobody else's calls touched")
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).runs WHERE status = 'completed' AND certificate IS NOT NULL") == "19")
            for outcome in outcomes where outcome.status == "completed" {
                let json = try await ledger.certificate(of: RunID(outcome.requestID ?? ""))
                let certificate = try JSONDecoder().decode(ErasureCertificate.self, from: Data((json ?? "").utf8))
                try certificate.verifySignature(trusting: try ledger.publicKey())
            }
            #expect(try await ledger.unfinishedRuns().count == 1, "the blocked subject's run is resumable")
            #expect(try await ledger.checkAudit().isIntact)

            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema).sessions"))
            let resumed = try await erasure.resume()
            #expect(resumed.count == 1 && (try? resumed.first?.get())?.isComplete == true)
            #expect(try await scalar(client, "SELECT count(*) FROM \(schema).customers WHERE id <= 20") == "0")
        }
    }

    @Test("A grouped batch on PostgreSQL interrupted after each group mark, then resumed, ends where an uninterrupted batch ends")
    func interruptedOnPostgres() async throws {
        guard PostgresTestServer.available() else { return }
        for mark in 1...4 {
            try await PostgresTestServer.withSchema { schema, client in
                let (catalog, stores, ledger, keys) = try await setUp(schema, client)
                defer { try? FileManager.default.removeItem(at: keys); ledger.close() }
                try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema).sessions"))
                let batch = try ErasureBatch(text: (1...20).map { "customer_id:\($0)" }.joined(separator: "\n"), catalog: catalog)
                let failing = FaultInjectingLedger(wrapping: ledger, afterStep: mark, at: mark % 2 == 0 ? .afterJournal : .beforeJournal) {
                    throw Interrupted()
                }
                // The fault stops the whole batch, as a crash would: every run it began is unfinished.
                await #expect(throws: Interrupted.self) {
                    try await Erasure(catalog: catalog, stores: stores, ledger: failing).execute(batch, groupSize: 8) { _ in }
                }
                #expect(try await ledger.unfinishedRuns().count > 0, "mark \(mark): runs were left unfinished")
                let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
                let resumed = try await erasure.resume()
                #expect(resumed.allSatisfy { (try? $0.get())?.isComplete == true }, "mark \(mark)")
                // This batch is not a journaled job: running it again erases the subjects it never reached.
                var outcomes: [BatchOutcome] = []
                try await erasure.execute(batch, groupSize: 8) { outcomes.append($0) }
                #expect(outcomes.count == 20 && outcomes.allSatisfy { $0.status == "completed" }, "mark \(mark)")
                #expect(try await scalar(client, "SELECT count(*) FROM \(schema).customers WHERE id <= 20") == "0", "mark \(mark)")
                #expect(try await scalar(client, "SELECT count(*) FROM \(schema).customers") == "10", "mark \(mark)")
                #expect(try await scalar(client, "SELECT count(*) FROM \(schema).calls") == "30", "mark \(mark): only the batch's calls went")
                #expect(try await ledger.unfinishedRuns().isEmpty, "mark \(mark)")
            }
        }
    }
}
