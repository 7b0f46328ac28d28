import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The shared ledger's audit log against someone who can write its schema but holds no key file.
@Suite("Shared ledger audit log", .serialized)
struct PostgresAuditTests {
    /// A shared ledger in `schema`, its key folder in a temporary folder, with five entries.
    private func ledger(_ schema: String) async throws -> PostgresLedger {
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-audit-\(schema)")
        _ = try LedgerKeys(folder: keys).maskingKey()
        let catalog = try Catalog.parse(yaml: """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers: { customer_id: { type: opaque } }
            stores: { crm: { type: sqlite, path: crm.sqlite } }
            collections:
              customers: { store: crm, table: customers, key: id, identifiers: { id: customer_id }, purpose: Accounts, lawfulBasis: contract, retention: 1 year, erase: delete }
            ledger: "\(PostgresTestServer.url ?? "")"
            ledgerPasswordEnv: \(PostgresTestServer.passwordVariable)
            ledgerSchema: \(schema)
            ledgerKeys: \(keys.path)

            """, baseDirectory: keys)
        let ledger = try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment)
        for number in 1...5 { try await ledger.audit(runID: "R-\(number)", event: "test.entry", detail: "entry \(number)", at: Date()) }
        return ledger
    }

    @Test("Untouched: intact; newest entries cut off with the anchor deleted: detected; re-chained with plain SHA-256: detected")
    func tampering() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let ledger = try await ledger(schema + "_ledger")
            defer { ledger.close() }
            let audit = PostgresColumnName(schema + "_ledger")
            let intact = try await ledger.checkAudit()
            #expect(intact.isIntact && intact.entries == 5, "\(intact.problems)")

            try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(schema).saved AS SELECT * FROM \(audit).audit"))
            try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(schema).saved_meta AS SELECT * FROM \(audit).meta"))
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(audit).audit WHERE seq > 3"))
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(audit).meta WHERE name LIKE 'audit%'"))
            let truncated = try await ledger.checkAudit()
            #expect(!truncated.isIntact, "removing the newest entries and the anchor must be detected")

            // Re-chain all five with plain SHA-256, as anyone with write access to the schema could.
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(audit).audit"))
            try await client.query(PostgresQuery(unsafeSQL: "INSERT INTO \(audit).audit SELECT * FROM \(schema).saved"))
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(audit).meta"))
            try await client.query(PostgresQuery(unsafeSQL: "INSERT INTO \(audit).meta SELECT * FROM \(schema).saved_meta"))
            #expect(try await ledger.checkAudit().isIntact, "the saved log and anchor put back are intact")
            for seq in 1...5 {
                try await client.query(PostgresQuery(unsafeSQL: """
                    UPDATE \(audit).audit a SET previous_hash = p.h, hash = encode(sha256(convert_to(
                        a.seq::text || chr(31) || a.at || chr(31) || coalesce(a.run_id, '') || chr(31) || a.event || chr(31) ||
                        a.detail || chr(31) || p.h, 'UTF8')), 'hex')
                    FROM (SELECT coalesce((SELECT hash FROM \(audit).audit WHERE seq = \(seq - 1)), repeat('0', 64)) AS h) p
                    WHERE a.seq = \(seq)
                    """))
            }
            let rechained = try await ledger.checkAudit()
            #expect(!rechained.isIntact, "a chain recomputed without the key must be detected")
            #expect(rechained.problems.contains { $0.contains("key") }, "\(rechained.problems)")
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(audit) CASCADE"))
        }
    }
}

/// A quoted identifier for the test's raw SQL.
private struct PostgresColumnName: CustomStringConvertible {
    let name: String
    init(_ name: String) { self.name = name }
    var description: String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
