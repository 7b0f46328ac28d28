import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

/// The shared ledger as a driver (LedgerConformance) and as the lock between processes: each
/// `PostgresLedger` value below has its own connections, as a separate process would.
@Suite("Shared ledger: conformance and run locks", .serialized)
struct PostgresLedgerTests {
    struct Interrupted: Error {}

    /// A ledger in `schema` with its own connection pools, its keys in `keys`.
    static func ledger(schema: String, keys: URL) throws -> PostgresLedger {
        guard let text = PostgresTestServer.url, let url = URLComponents(string: text), let host = url.host, let user = url.user else {
            throw DSARError(.ledgerFailure, "DSAR_TEST_POSTGRES_URL is not a postgres:// url")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user,
            password: ProcessInfo.processInfo.environment[PostgresTestServer.passwordVariable],
            database: url.path.count > 1 ? String(url.path.dropFirst()) : nil, tls: .disable)
        configuration.options.connectTimeout = .seconds(60)
        configuration.options.maximumConnections = 4
        return PostgresLedger(configuration: configuration, schema: schema, keys: LedgerKeys(folder: keys))
    }

    static func keysFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-pgledger-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keys = LedgerKeys(folder: folder)
        _ = try keys.maskingKey()
        _ = try keys.generateSigningKey()
        return folder
    }

    @Test("PostgresLedger passes LedgerConformance, tampering included")
    func conformance() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let opened = Mutex<[PostgresLedger]>([])
            let failures = await LedgerConformance(tamper: { ledger in
                let ledger = ledger as! PostgresLedger
                try await client.query(PostgresQuery(unsafeSQL: "UPDATE \(ledger.schema).audit SET detail = 'entry 9' WHERE seq = 2"))
            }, makeLedger: {
                let ledger = try Self.ledger(schema: "\(schema)_\(opened.withLock { $0.count })", keys: try Self.keysFolder())
                opened.withLock { $0.append(ledger) }
                return ledger
            }).run()
            for ledger in opened.withLock({ $0 }) {
                ledger.close()
                _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(ledger.schema) CASCADE"))
            }
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    // MARK: Run locks

    static let catalog = Catalog(
        controller: Controller(name: "Atlas Contact SARL", contact: "dpo@example.com"),
        identifiers: [IdentifierType(name: "customer_id", kind: .opaque), IdentifierType(name: "email", kind: .email)],
        stores: [StoreDeclaration(name: "crm", type: "memory")],
        collections: [
            DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"], identifiers: [
                IdentifierColumn(column: "id", type: "customer_id"), IdentifierColumn(column: "email", type: "email"),
            ]),
            DataCollection(name: "calls", store: "crm", table: "calls", key: ["id"],
                           references: [Reference(column: "customer_id", targetCollection: "customers", targetColumn: "id")]),
        ])

    /// Customers 1 (two calls) and 2 (one call).
    static func stores() -> (StoreSet, InMemoryStore) {
        let crm = InMemoryStore(name: "crm")
        crm.createTable("customers", columns: ["id", "email"], rows: [
            [.integer(1), .text("a@example.com")], [.integer(2), .text("b@example.com")],
        ])
        crm.createTable("calls", columns: ["id", "customer_id"], rows: [
            [.integer(10), .integer(1)], [.integer(11), .integer(1)], [.integer(12), .integer(2)],
        ])
        return (StoreSet([crm]), crm)
    }

    static func subject(_ text: String) throws -> DataSubject { try DataSubject(parsing: [text], catalog: catalog) }

    @Test("Two processes on one shared ledger: a run and its subject are erased by one at a time; other subjects go on")
    func oneErasurePerSubject() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let keys = try Self.keysFolder()
            let (first, second) = (try Self.ledger(schema: schema + "_l", keys: keys), try Self.ledger(schema: schema + "_l", keys: keys))
            defer { first.close(); second.close() }
            let (stores, crm) = Self.stores()
            let (reached, arrived) = AsyncStream<Void>.makeStream()
            let (release, released) = AsyncStream<Void>.makeStream()
            // The first process stops after its first step, holding its run, until released.
            let paused = FaultInjectingLedger(wrapping: first, afterStep: 1, at: .afterJournal) {
                arrived.yield()
                for await _ in release { break }
            }
            let running = Task { try await Erasure(catalog: Self.catalog, stores: stores, ledger: paused).execute(try Self.subject("customer_id:1")) }
            for await _ in reached { break }

            let other = Erasure(catalog: Self.catalog, stores: stores, ledger: second)
            let refused = await #expect(throws: DSARError.self) { try await other.execute(try Self.subject("email:a@example.com")) }
            #expect(refused?.code == .erasureInProgress, "the same subject, named otherwise, is not erased twice at once")
            #expect(crm.rows(of: "customers").count == 2, "the refused erasure touched nothing")
            let resumed = try await other.resume()
            #expect(resumed.count == 1)
            guard case .failure(let error)? = resumed.first else {
                Issue.record("a run another process is executing was resumed under it")
                return
            }
            #expect(error.code == .erasureInProgress)
            let executing = try #require(try await second.unfinishedRuns().first?.plan.runID)
            let abandonRefused = await #expect(throws: DSARError.self) { try await second.abandonExclusively(executing, at: Date()) }
            #expect(abandonRefused?.code == .erasureInProgress, "a run another process is executing is not abandoned under it")
            let elsewhere = try await other.execute(try Self.subject("customer_id:2"))
            #expect(elsewhere.isComplete, "another subject is erased meanwhile")

            released.yield()
            released.finish()
            let outcome = try await running.value
            #expect(outcome.isComplete, "\(outcome.residue)")
            #expect(crm.rows(of: "customers").isEmpty && crm.rows(of: "calls").isEmpty)
            #expect(try await second.unfinishedRuns().isEmpty)
            _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema)_l CASCADE"))
        }
    }

    @Test("On a shared ledger an interrupted run refuses a new erasure of its subject (interruptedRuns) until resumed; other subjects go on")
    func interruptedSubjectFirst() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let keys = try Self.keysFolder()
            let (first, second) = (try Self.ledger(schema: schema + "_l", keys: keys), try Self.ledger(schema: schema + "_l", keys: keys))
            defer { first.close(); second.close() }
            let (stores, crm) = Self.stores()
            let failing = FaultInjectingLedger(wrapping: first, afterStep: 1, at: .afterJournal) { throw Interrupted() }
            await #expect(throws: Interrupted.self) {
                try await Erasure(catalog: Self.catalog, stores: stores, ledger: failing).execute(try Self.subject("customer_id:1"))
            }
            let other = Erasure(catalog: Self.catalog, stores: stores, ledger: second)
            let refused = await #expect(throws: DSARError.self) { try await other.execute(try Self.subject("email:a@example.com")) }
            #expect(refused?.code == .interruptedRuns)
            #expect(crm.rows(of: "customers").count == 2, "the refused erasure touched nothing")
            #expect(try await other.execute(try Self.subject("customer_id:2")).isComplete, "another subject is erased meanwhile")

            let resumed = try await other.resume()
            #expect(resumed.count == 1)
            #expect((try? resumed.first?.get())?.isComplete == true)
            #expect(try await other.execute(try Self.subject("email:a@example.com")).isComplete, "once resumed, the subject is free")
            #expect(crm.rows(of: "customers").isEmpty)
            _ = try? await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema)_l CASCADE"))
        }
    }
}
