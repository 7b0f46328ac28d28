import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

/// Requests on the shared ledger, against the real server.
@Suite("Shared ledger requests")
struct PostgresRequestLedgerTests {
    /// A shared ledger in `schema` with its keys in `keys` (a machine's key folder).
    private func ledger(_ schema: String, keys: URL) throws -> PostgresLedger {
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
        return try PostgresLedger(catalog: catalog, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
    }

    private func keyFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-requests-\(UUID().uuidString.prefix(8))")
        _ = try LedgerKeys(folder: folder).maskingKey()
        return folder
    }

    @Test("The PostgreSQL ledger keeps requests as every request ledger must")
    func conformance() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { base, client in
            let schemas = Mutex<[String]>([])
            let failures = await RequestLedgerConformance {
                let schema = base + "_\(schemas.withLock { $0.append(""); return $0.count })"
                schemas.withLock { $0[$0.count - 1] = schema }
                return try self.ledger(schema, keys: try self.keyFolder())
            }.run()
            for schema in schemas.withLock({ $0 }) {
                _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"))
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test("A machine with another requests.key or masking.key is refused with a clear error, never told 'no request'")
    func otherKeys() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, _ in
            let first = try keyFolder()
            let book = try await RequestBook(ledger: try ledger(schema, keys: first))
            let opened = try await book.open(.erasure, subject: DataSubject(identifiers: [SubjectIdentifier(type: "customer_id", normalizedValue: "7")]))

            // A second machine that copied only masking.key: it has no requests.key.
            let second = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-requests-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: first.appendingPathComponent("masking.key"), to: second.appendingPathComponent("masking.key"))
            let missing = await #expect(throws: DSARError.self) { try await RequestBook(ledger: try ledger(schema, keys: second)) }
            #expect(missing?.message.contains("requests.key") == true, "\(String(describing: missing))")
            #expect(!FileManager.default.fileExists(atPath: second.appendingPathComponent("requests.key").path), "no key of its own was made")

            // Another requests.key: refused too.
            _ = try LedgerKeys(folder: second).sealingKey()
            let other = await #expect(throws: DSARError.self) { try await RequestBook(ledger: try ledger(schema, keys: second)) }
            #expect(other?.message.contains("requests.key") == true, "\(String(describing: other))")

            // Another masking.key (HMAC lookups would find no one): refused.
            let third = try keyFolder()
            try FileManager.default.copyItem(at: first.appendingPathComponent("requests.key"), to: third.appendingPathComponent("requests.key"))
            let masking = await #expect(throws: DSARError.self) { try await RequestBook(ledger: try ledger(schema, keys: third)) }
            #expect(masking?.message.contains("masking key") == true, "\(String(describing: masking))")

            // The whole folder copied: the same request, found by its identifier's HMAC.
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-requests-\(UUID().uuidString.prefix(8))")
            try FileManager.default.copyItem(at: first, to: copy)
            let shared = try await RequestBook(ledger: try ledger(schema, keys: copy))
            #expect(try await shared.requests(naming: SubjectIdentifier(type: "customer_id", normalizedValue: "7")).map(\.id) == [opened.id])
            #expect(try await shared.subject(of: opened.id).identifiers.map(\.description) == ["customer_id:7"])
            for folder in [first, second, third, copy] { try? FileManager.default.removeItem(at: folder) }
        }
    }
}
