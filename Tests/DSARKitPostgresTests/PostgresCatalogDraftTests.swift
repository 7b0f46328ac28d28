import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// `dsar catalog draft` and `dsar check --coverage` against a real PostgreSQL schema.
@Suite("Drafting a catalog from PostgreSQL, and its coverage")
struct PostgresCatalogDraftTests {
    static let emails = ["amel.benali@example.tn", "Kim.Roy@example.fr", "jo@example.fr"]
    static let phones = ["+216 98 123 456", "06 12 34 56 78", "+33 7 11 22 33 44"]

    static func fill(_ schema: String, _ client: PostgresClient) async throws {
        let statements = [
            "CREATE TABLE \(schema).customers (id bigint PRIMARY KEY, email varchar(200), mobile text, city text)",
            "CREATE TABLE \(schema).calls (id integer PRIMARY KEY, customer_id bigint REFERENCES \(schema).customers(id), caller_number text, duration_s integer)",
            "CREATE TABLE \(schema).tickets (ticket_no text, line integer, customer_id bigint, body text, PRIMARY KEY (ticket_no, line))",
            "INSERT INTO \(schema).customers VALUES (1, '\(emails[0])', '\(phones[0])', 'Tunis'), (2, '\(emails[1])', '\(phones[1])', 'Lyon'), (3, '\(emails[2])', '\(phones[2])', NULL)",
            "INSERT INTO \(schema).calls VALUES (10, 1, '\(phones[0])', 98123456), (11, 2, '\(phones[1])', 60), (12, NULL, '\(phones[2])', 12345678)",
            "INSERT INTO \(schema).tickets VALUES ('T-1', 1, 1, 'late delivery'), ('T-1', 2, 1, 'refund'), ('T-2', 1, 3, 'invoice')",
        ]
        for statement in statements { try await client.query(PostgresQuery(unsafeSQL: statement)) }
    }

    static func store(_ schema: String) throws -> PostgresStore {
        try PostgresStore(declaration: PostgresTestServer.declaration(name: "pg", schema: schema),
                          environment: ProcessInfo.processInfo.environment, logger: Logger(label: "test"))
    }

    @Test("declared and composite keys, foreign keys, sampled identifiers and a guessed reference, no value in the output")
    func draft() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.fill(schema, client)
            let store = try Self.store(schema)
            defer { store.close() }
            let draft = try await CatalogDraft.read(
                [(CatalogDraft.Store(name: "pg", type: "postgres", location: PostgresTestServer.url ?? "",
                                     settings: ["passwordEnv": PostgresTestServer.passwordVariable, "schema": schema]), store)],
                regions: ["FR", "TN"])
            let catalog = try Catalog.parse(yaml: draft.yaml, baseDirectory: FileManager.default.temporaryDirectory)
            let identifiers = Set(catalog.collections.flatMap { c in c.identifiers.map { "\(c.table ?? "").\($0.column)=\($0.type)" } })
            #expect(identifiers == ["customers.id=customer_id", "customers.email=email", "customers.mobile=phone", "calls.caller_number=phone"])
            let references = Set(catalog.collections.flatMap { c in c.references.map { "\(c.table ?? "").\($0.column)→\($0.targetCollection).\($0.targetColumn)" } })
            #expect(references == ["calls.customer_id→customers.id", "tickets.customer_id→customers.id"])
            #expect(catalog.collection(named: "tickets")?.key == ["ticket_no", "line"])
            #expect(draft.yaml.contains("customer_id: customers.id  # guess: all 3 sampled values found in customers.id"))
            let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
            let leaked = (Self.emails + Self.phones).filter { draft.yaml.contains($0) || json.contains($0) }
            #expect(leaked.isEmpty)
        }
    }

    @Test("a column added to a live table is caught by coverage; an ignored one is not")
    func coverage() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await Self.fill(schema, client)
            let store = try Self.store(schema)
            defer { store.close() }
            let draft = try await CatalogDraft.read([(CatalogDraft.Store(name: "pg", type: "postgres", location: PostgresTestServer.url ?? "",
                                                                         settings: ["schema": schema]), store)], regions: ["FR", "TN"])
            let catalog = try Catalog.parse(yaml: draft.yaml, baseDirectory: FileManager.default.temporaryDirectory)
            #expect(try await CoverageCheck(catalog: catalog).run(sources: [store]).unmappedColumns.isEmpty)

            try await client.query(PostgresQuery(unsafeSQL: "ALTER TABLE \(schema).tickets ADD COLUMN reply_to text"))
            try await client.query(PostgresQuery(unsafeSQL: "UPDATE \(schema).tickets SET reply_to = '\(Self.emails[1])'"))
            let fresh = try Self.store(schema)
            defer { fresh.close() }
            let report = try await CoverageCheck(catalog: catalog).run(sources: [fresh])
            #expect(report.unmappedColumns.map { "\($0.table).\($0.column)=\($0.kind)" } == ["tickets.reply_to=email"])
            #expect(!report.lines.joined().contains(Self.emails[1]))

            let ignoring = try Catalog.parse(yaml: draft.yaml + "coverage: { ignore: [ { column: tickets.reply_to, reason: \"staff mailbox\" } ] }\n",
                                             baseDirectory: FileManager.default.temporaryDirectory)
            let ignored = try await CoverageCheck(catalog: ignoring).run(sources: [fresh])
            #expect(ignored.unmappedColumns.isEmpty)
            #expect(ignored.ignoredColumns == 1)
        }
    }
}
