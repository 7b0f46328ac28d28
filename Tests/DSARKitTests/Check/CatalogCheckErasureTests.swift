import DSARKit
import Foundation
import GRDB
import Testing

/// What `dsar check` proves before an erasure runs: every mask can be written, every erased
/// table can be changed by key, and the index advice runs as written.
@Suite("Check: erasure rules against the real tables")
struct CatalogCheckErasureTests {
    /// A SQLite database made with `sql`, and a catalog whose `calls` collection has `rules`.
    static func fixture(_ sql: String, calls rules: String) throws -> (Catalog, URL) {
        let folder = try ExampleData.temporaryFolder()
        let database = folder.appendingPathComponent("crm.sqlite")
        try DatabaseQueue(path: database.path).write { db in try db.execute(sql: sql) }
        let yaml = """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers:
              customer_id: { type: opaque }
            stores:
              crm: { type: sqlite, path: crm.sqlite }
            collections:
              calls:
                store: crm
                table: calls
            \(rules)
                identifiers: { customer_id: customer_id }
                purpose: Calls
                lawfulBasis: contract
            """
        return (try Catalog.parse(yaml: yaml, sourceName: "dsar.yaml", baseDirectory: folder), database)
    }

    static let calls = """
        CREATE TABLE calls (id INTEGER PRIMARY KEY, customer_id TEXT, caller TEXT NOT NULL, duration INTEGER, notes TEXT);
        CREATE INDEX calls_customer ON calls(customer_id);
        INSERT INTO calls VALUES (1, 'C-1', 'Amel Benali', 30, 'called about her bill');
        """

    @Test("A null mask on a NOT NULL column and a redact mask on an integer column are errors naming the line, the column and a fix")
    func unmaskableColumns() async throws {
        let (catalog, _) = try Self.fixture(Self.calls, calls: """
                key: id
                erase:
                  mask: { caller: "null", duration: redact, notes: "null" }
            """)
        let problems = await CatalogCheck(catalog: catalog).run()
        let errors = problems.filter { $0.severity == .error }
        let caller = try #require(errors.first { $0.message.contains("'caller'") }, "\(problems)")
        #expect(caller.place.hasPrefix("dsar.yaml:13:"), "\(caller)")
        #expect(caller.message.contains("NOT NULL"))
        #expect(caller.fix?.contains("redact") == true, "\(caller)")
        let duration = try #require(errors.first { $0.message.contains("'duration'") }, "\(problems)")
        #expect(duration.place.hasPrefix("dsar.yaml:13:"), "\(duration)")
        #expect(duration.message.contains("INTEGER"))
        #expect(errors.count == 2, "notes may be nulled: \(errors)")
    }

    @Test("Planning refuses a mask the table cannot take, before anything is touched")
    func planRefusesUnmaskable() async throws {
        let (catalog, database) = try Self.fixture(Self.calls, calls: """
                key: id
                erase:
                  mask: { caller: "null" }
            """)
        let ledger = try Ledger(url: database.deletingLastPathComponent().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        let subject = try DataSubject(parsing: ["customer_id:C-1"], catalog: catalog)
        await #expect(throws: DSARError.self) { _ = try await erasure.plan(for: subject) }
        await #expect(throws: DSARError.self) { _ = try await erasure.execute(subject) }
        #expect(try await ledger.unfinishedRuns().isEmpty)
        let caller = try await DatabaseQueue(path: database.path).read { db in try String.fetchOne(db, sql: "SELECT caller FROM calls") }
        #expect(caller == "Amel Benali")
    }

    @Test("A collection without a key cannot be erased (its rows would be named by their contents); check says so, planning refuses")
    func keylessErasure() async throws {
        let (catalog, database) = try Self.fixture(Self.calls, calls: """
                erase: delete
            """)
        let problems = await CatalogCheck(catalog: catalog).run()
        let keyless = try #require(problems.first { $0.severity == .error && $0.message.contains("no key") }, "\(problems)")
        #expect(keyless.place.hasPrefix("dsar.yaml:"), "\(keyless)")
        #expect(keyless.fix?.contains("key:") == true)

        let ledger = try Ledger(url: database.deletingLastPathComponent().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let erasure = Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        let subject = try DataSubject(parsing: ["customer_id:C-1"], catalog: catalog)
        await #expect(throws: DSARError.self) { _ = try await erasure.execute(subject) }
        let journal = try await DatabaseQueue(path: database.deletingLastPathComponent().appendingPathComponent("ledger.sqlite").path).read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(plan, '') FROM runs").joined()
        }
        #expect(!journal.contains("Amel"), "no row contents in the journal")
        #expect(try await DatabaseQueue(path: database.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM calls") } == 1)

        let (retained, _) = try Self.fixture(Self.calls, calls: """
                erase: retain
                retainReason: Proof of the call
            """)
        #expect(!(await CatalogCheck(catalog: retained).run()).contains { $0.message.contains("no key") })
    }

    @Test("Index advice quotes table and column names, and runs as written")
    func quotedAdvice() async throws {
        let (catalog, database) = try Self.fixture("""
            CREATE TABLE calls (id INTEGER PRIMARY KEY, "customer_id" TEXT);
            """, calls: """
                key: id
                erase: delete
            """)
        let problems = await CatalogCheck(catalog: catalog).run()
        let advice = try #require(problems.first { $0.message.contains("has no index") }?.fix, "\(problems)")
        #expect(advice == #"CREATE INDEX "calls_customer_id" ON "calls" ("customer_id")"#)
        try await DatabaseQueue(path: database.path).write { db in try db.execute(sql: advice) }
        #expect(!(await CatalogCheck(catalog: catalog).run()).contains { $0.message.contains("has no index") })
    }
}
