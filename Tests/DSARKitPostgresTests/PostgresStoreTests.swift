import DSARKit
import DSARKitPostgres
import DSARKitTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("PostgreSQL store passes the table conformance suite")
    func conformance() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let failures = await TableStoreConformance(storesNUL: false) { fixture in
                try await client.query(PostgresQuery(unsafeSQL:
                    "CREATE TABLE \(schema).people (id bigint PRIMARY KEY, email text, phone text, note text)"))
                for row in fixture.rows(storesNUL: false) {
                    let text = row.dropFirst().map(\.textValue)
                    guard case .integer(let id) = row[0] else { continue }
                    try await client.query("""
                        INSERT INTO \(unescaped: schema).people VALUES (\(id), \(text[0]), \(text[1]), \(text[2]))
                        """)
                }
                return try PostgresStore(declaration: PostgresTestServer.declaration(name: "store", schema: schema),
                                         environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
            }.run()
            #expect(failures.isEmpty, "\(failures)")
        }
    }

    @Test("check introspects tables, columns and indexes")
    func inspect() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await client.query(PostgresQuery(unsafeSQL: """
                CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, caller text, customer_id bigint, note text);
                """))
            try await client.query(PostgresQuery(unsafeSQL: "CREATE INDEX ON \(schema).calls (caller)"))
            try await client.query(PostgresQuery(unsafeSQL: "CREATE INDEX ON \(schema).calls (\(EmailFolding.postgresExpression("note")))"))
            let store = try PostgresStore(declaration: PostgresTestServer.declaration(name: "telephony", schema: schema),
                                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
            let inspection = try await store.inspect(DataCollection(name: "calls", store: "telephony", table: "calls"))
            #expect(inspection.exists)
            #expect(inspection.columns == ["id", "caller", "customer_id", "note"])
            #expect(inspection.indexedColumns == ["id", "caller"])
            #expect(inspection.caseInsensitiveIndexedColumns == ["note"])
            let missing = try await store.inspect(DataCollection(name: "x", store: "telephony", table: "nope"))
            #expect(!missing.exists)
        }
    }

    @Test("The password stays out of the catalog, and a missing variable is named, not its value")
    func password() throws {
        var declaration = PostgresTestServer.declaration(name: "telephony", schema: "public")
        declaration.settings["url"] = "postgres://dsar:hunter2@127.0.0.1:5432/db"
        #expect(throws: DSARError.self) { try PostgresStore(declaration: declaration, environment: [:], logger: Logger(label: "test")) }
        declaration.settings["url"] = "postgres://dsar@127.0.0.1:5432/db"
        do {
            _ = try PostgresStore(declaration: declaration, environment: [:], logger: Logger(label: "test"))
            Issue.record("a missing password variable must be an error")
        } catch let error as DSARError {
            #expect(error.message.contains("DSAR_TEST_POSTGRES_PASSWORD"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("A server that refuses the connection is a clear error without the password")
    func unreachable() async throws {
        var declaration = PostgresTestServer.declaration(name: "telephony", schema: "public")
        declaration.settings["url"] = "postgres://dsar@127.0.0.1:1/db"
        declaration.settings["connectTimeout"] = "1"
        let store = try PostgresStore(declaration: declaration, environment: ["DSAR_TEST_POSTGRES_PASSWORD": "s3cret-value"],
                                      logger: Logger(label: "test"))
        defer { store.close() }
        do {
            _ = try await store.inspect(DataCollection(name: "calls", store: "telephony", table: "calls"))
            Issue.record("an unreachable server must be an error")
        } catch let error as DSARError {
            #expect(error.code == .storeUnavailable)
            #expect(error.location == "telephony/calls")
            #expect(!error.description.contains("s3cret-value"))
        }
    }
}
