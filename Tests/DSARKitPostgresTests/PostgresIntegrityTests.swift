import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// Real contact-centre schemas in PostgreSQL: messy emails, masks the columns cannot take,
/// and index advice for reserved column names.
@Suite("PostgreSQL: messy values, masks and index advice")
struct PostgresIntegrityTests {
    static func catalog(_ collections: String) throws -> Catalog {
        try Catalog.parse(yaml: """
            version: 1
            controller: { name: Atlas Contact SARL, contact: dpo@example.com }
            identifiers:
              customer_id: { type: opaque }
              email: { type: email }
            stores:
              telephony: { type: postgres }
            collections:
            \(collections)
            """, sourceName: "dsar.yaml", baseDirectory: FileManager.default.temporaryDirectory)
    }

    static func store(_ schema: String) throws -> PostgresStore {
        try PostgresStore(declaration: PostgresTestServer.declaration(name: "telephony", schema: schema),
                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
    }

    static func run(_ client: PostgresClient, _ statements: [String]) async throws {
        for statement in statements { try await client.query(PostgresQuery(unsafeSQL: statement)) }
    }

    static let customers = """
          customers:
            store: telephony
            table: customers
            key: id
            identifiers: { id: customer_id, email: email }
            purpose: Accounts
            lawfulBasis: contract
            erase: delete
        """

    @Test("Emails padded with tabs, no-break spaces or newlines are found; a Kelvin sign or É is not folded onto ASCII")
    func messyEmails() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.run(client, [
                "CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email text)",
                """
                INSERT INTO \(schema).customers VALUES (1, E'\\tkim@example.com'), (2, U&'Kim@Example.com\\00A0'),
                  (3, E'kim@example.com\\n'), (4, U&'\\212Aim@example.com'), (5, 'kim@example.community'),
                  (6, U&'\\00C9lodie@exemple.fr'), (7, U&'\\00E9lodie@exemple.fr')
                """,
            ])
            let catalog = try Self.catalog(Self.customers)
            let store = try Self.store(schema)
            defer { store.close() }
            let stores = StoreSet([store])
            func found(_ email: String) async throws -> [String] {
                let subject = try DataSubject(parsing: ["email:\(email)"], catalog: catalog)
                return try await Discovery(catalog: catalog, stores: stores).discover(subject).records.map(\.id.key.description)
            }
            #expect(try await found("KIM@example.com") == ["id=1", "id=2", "id=3"])
            #expect(try await found("\u{212A}im@example.com") == ["id=4"])
            #expect(try await found("\u{C9}LODIE@EXEMPLE.FR") == ["id=6"])
        }
    }

    @Test("Index advice quotes a column named user (reserved in PostgreSQL) and runs; the email index it suggests is then recognised")
    func adviceRuns() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.run(client, [
                "CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email text)",
                "CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, \"user\" text)",
            ])
            let catalog = try Self.catalog(Self.customers + """

                  calls:
                    store: telephony
                    table: calls
                    key: id
                    identifiers: { user: customer_id }
                    purpose: Calls
                    lawfulBasis: contract
                    erase: delete
                """)
            let store = try Self.store(schema)
            defer { store.close() }
            let before = await CatalogCheck(catalog: catalog).run(supplied: [store])
            let advice = before.filter { $0.message.contains("no index") || $0.message.contains("no case-insensitive index") }.compactMap(\.fix)
            #expect(advice.count == 2, "\(before)")
            for statement in advice {
                try await client.withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: Logger(label: "test"))
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "test"))
                }
            }
            let fresh = try Self.store(schema)
            defer { fresh.close() }
            let after = await CatalogCheck(catalog: catalog).run(supplied: [fresh])
            #expect(!after.contains { $0.message.contains("no index") || $0.message.contains("no case-insensitive index") }, "\(after)")
        }
    }

    @Test("Masks the columns cannot take are errors at check time: null into NOT NULL, hash into varchar(20), redact into an integer")
    func unmaskableColumns() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.run(client, [
                "CREATE TABLE \(schema).calls (id bigint PRIMARY KEY, customer_id text, caller varchar(20), notes text NOT NULL, duration integer, reason varchar(200))",
                "CREATE INDEX ON \(schema).calls (customer_id)",
            ])
            let catalog = try Self.catalog("""
                  calls:
                    store: telephony
                    table: calls
                    key: id
                    identifiers: { customer_id: customer_id }
                    purpose: Calls
                    lawfulBasis: contract
                    erase:
                      mask: { caller: hash, notes: "null", duration: redact, reason: hash }
                """)
            let store = try Self.store(schema)
            defer { store.close() }
            let errors = await CatalogCheck(catalog: catalog).run(supplied: [store]).filter { $0.severity == .error }
            #expect(errors.contains { $0.message.contains("'caller'") && $0.message.contains("20") && $0.place.hasPrefix("dsar.yaml:") }, "\(errors)")
            #expect(errors.contains { $0.message.contains("'notes'") && $0.message.contains("NOT NULL") }, "\(errors)")
            #expect(errors.contains { $0.message.contains("'duration'") && $0.message.contains("integer") }, "\(errors)")
            #expect(errors.count == 3, "reason (200 characters) can hold a hash: \(errors)")
        }
    }
}
