import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@Suite("PostgreSQL store erasure")
struct PostgresErasureTests {
    static func store(schema: String) throws -> PostgresStore {
        try PostgresStore(declaration: PostgresTestServer.declaration(name: "store", schema: schema),
                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
    }

    /// Runs statements one by one (the extended protocol takes one per query).
    static func run(_ client: PostgresClient, _ sql: String) async throws {
        for statement in sql.components(separatedBy: ";\n") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try await client.query(PostgresQuery(unsafeSQL: statement))
        }
    }

    @Test("PostgreSQL store passes the erasable store suite")
    func conformance() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let schemas = Mutex<[String]>([])
            let stores = Mutex<[PostgresStore]>([])
            let failures = await ErasableStoreConformance(storesNUL: false) { fixture in
                // A fresh schema per check: the suite's collection is always table `people`.
                let fresh = "\(schema)_\(schemas.withLock { $0.append(""); return $0.count })"
                schemas.withLock { $0[$0.count - 1] = fresh }
                try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(fresh)"))
                try await client.query(PostgresQuery(unsafeSQL:
                    "CREATE TABLE \(fresh).people (id bigint PRIMARY KEY, email text, phone text, note text)"))
                for row in fixture.rows(storesNUL: false) {
                    let text = row.dropFirst().map(\.textValue)
                    guard case .integer(let id) = row[0] else { continue }
                    try await client.query("INSERT INTO \(unescaped: fresh).people VALUES (\(id), \(text[0]), \(text[1]), \(text[2]))")
                }
                let store = try Self.store(schema: fresh)
                stores.withLock { $0.append(store) }
                return store
            }.run()
            #expect(failures.isEmpty, "\(failures)")
            for store in stores.withLock({ $0 }) { store.close() }
            for fresh in schemas.withLock({ $0 }) { try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(fresh) CASCADE")) }
        }
    }

    @Test("A foreign key the catalog does not declare blocks the delete by name, changes nothing, and the change goes through once settled")
    func undeclaredReference() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.run(client, """
                CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email text);
                CREATE TABLE \(schema).sessions (id bigint PRIMARY KEY, customer_id bigint CONSTRAINT sessions_customer_fk REFERENCES \(schema).customers(id));
                CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id bigint REFERENCES \(schema).customers(id));
                INSERT INTO \(schema).customers VALUES (1, 'o''brien@example.com'), (2, 'b@example.com');
                INSERT INTO \(schema).sessions VALUES (10, 1);
                """)
            let store = try Self.store(schema: schema)
            defer { store.close() }
            let customers = DataCollection(name: "customers", store: "store", table: "customers")
            let changes = RowChanges(keyColumns: ["id"], deletes: [[.integer(1)]], updates: [RowUpdate(key: [.integer(2)], columns: ["email"], values: [.null])],
                                     declaredReferrers: [ReferringColumn(table: "calls", column: "customer_id")])
            do {
                try await store.apply(changes, to: customers)
                Issue.record("the delete must be blocked")
            } catch let error as DSARError {
                #expect(error.code == .blockedByReference)
                #expect(error.message.contains("sessions_customer_fk") && error.message.contains("sessions.customer_id → customers.id"), "\(error)")
                #expect(error.message.contains("--resume"))
                #expect(!error.description.contains("o'brien"))
            }
            let rows = try await store.allRecords(in: customers, where: ColumnMatch(column: "id", values: [.integer(1), .integer(2)]))
            #expect(rows.count == 2 && rows.allSatisfy { $0["email"] != .null }, "nothing changed")
            try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(schema).sessions"))
            try await store.apply(changes, to: customers)
            let left = try await store.allRecords(in: customers, where: ColumnMatch(column: "id", values: [.integer(1), .integer(2)]))
            #expect(left.map { $0["id"] } == [.integer(2)] && left.first?["email"] == .null)
        }
    }

    @Test("A declared referrer with a real constraint whose rows are kept: PostgreSQL refuses, reported as blockedByReference without values")
    func declaredButEnforced() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.run(client, """
                CREATE TABLE \(schema).customers (id text PRIMARY KEY);
                CREATE TABLE \(schema).consents (id bigint PRIMARY KEY, customer_id text CONSTRAINT consents_fk REFERENCES \(schema).customers(id));
                INSERT INTO \(schema).customers VALUES ('secret-key-value');
                INSERT INTO \(schema).consents VALUES (1, 'secret-key-value');
                """)
            let store = try Self.store(schema: schema)
            defer { store.close() }
            let changes = RowChanges(keyColumns: ["id"], deletes: [[.text("secret-key-value")]],
                                     declaredReferrers: [ReferringColumn(table: "consents", column: "customer_id")])
            do {
                try await store.apply(changes, to: DataCollection(name: "customers", store: "store", table: "customers"))
                Issue.record("PostgreSQL must refuse")
            } catch let error as DSARError {
                #expect(error.code == .blockedByReference)
                #expect(error.message.contains("consents_fk"), "\(error)")
                #expect(!error.description.contains("secret-key-value"))
            }
        }
    }

    @Test("Values with quotes, NULs and huge strings are data, in keys and in new values")
    func hostileValues() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await client.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE \(schema).notes (k text, n bigint, body text, raw bytea);
                """))
            let huge = String(repeating: "é'\"\\;--", count: 300_000)
            let keys = ["'; DROP TABLE \(schema).notes; --", "a\"b", "x%", huge]
            for (offset, key) in keys.enumerated() {
                try await client.query("INSERT INTO \(unescaped: schema).notes VALUES (\(key), \(Int64(offset)), 'body', '\\x00ff'::bytea)")
            }
            let store = try Self.store(schema: schema)
            defer { store.close() }
            let notes = DataCollection(name: "notes", store: "store", table: "notes")
            // A keyless table: the key is every column.
            let all = ["k", "n", "body", "raw"]
            func key(_ offset: Int) -> [Value] { [.text(keys[offset]), .integer(Int64(offset)), .text("body"), .blob(Data([0, 255]))] }
            try await store.apply(RowChanges(keyColumns: all, deletes: [key(0), [.text("nul\u{0}key"), .integer(9), .null, .null]],
                                             updates: [RowUpdate(key: key(3), columns: ["body"], values: [.text(huge + "'")])]), to: notes)
            try await store.apply(RowChanges(keyColumns: ["k"], deletes: [[.text("a\"b")], [.text("nul\u{0}")]]), to: notes)
            let left = try await store.allRecords(in: notes, where: ColumnMatch(column: "n", values: (0...3).map { .integer(Int64($0)) }))
            #expect(left.compactMap { if case .integer(let n)? = $0["n"] { n } else { nil } }.sorted() == [Int64(2), 3])
            #expect(left.first { $0["n"] == .integer(3) }?["body"] == .text(huge + "'"))
            #expect(left.first { $0["n"] == .integer(3) }?["k"] == .text(huge))
            do {
                try await store.apply(RowChanges(keyColumns: ["n"], updates: [RowUpdate(key: [.integer(2)], columns: ["body"], values: [.text("no\u{0}pe")])]),
                                      to: notes)
                Issue.record("a NUL in a new text value must be refused")
            } catch let error as DSARError {
                #expect(error.message.contains("NUL") && !error.description.contains("no\u{0}pe"))
            }
        }
    }
}
