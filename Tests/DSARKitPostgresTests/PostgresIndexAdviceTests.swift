import DSARKit
import DSARKitPostgres
import Foundation
import PostgresNIO
import Testing

/// `dsar check` on PostgreSQL advises an index only where no index serves the lookup.
@Suite("Index advice on PostgreSQL")
struct PostgresIndexAdviceTests {
    /// Warnings of `dsar check` by the identifier column they name, for a table `contacts`
    /// looked up by `ref` (opaque), `email` (email) and `additional_attributes.phone`.
    static func advice(schema: String, fixture: PostgresTypeFixture) async throws -> [String: CatalogProblem] {
        let store = try fixture.store()
        defer { store.close() }
        var advice: [String: CatalogProblem] = [:]
        for problem in await CatalogCheck(catalog: fixture.catalog).run(supplied: [store]) where problem.severity == .warning {
            for column in ["'ref'", "'email'", "'additional_attributes.phone'"] where problem.message.contains("column \(column)") {
                advice[String(column.dropFirst().dropLast())] = problem
            }
        }
        return advice
    }

    static func fixture(schema: String, client: PostgresClient, _ sql: String) async throws -> PostgresTypeFixture {
        try await PostgresTypeFixture.create(client, schema: schema, """
            CREATE TABLE S.contacts (id bigint PRIMARY KEY, ref citext, email varchar(255), additional_attributes jsonb, account_id integer)
            """ + "\n" + sql)
        return try PostgresTypeFixture(
            schema: schema, client: client,
            collections: [DataCollection(name: "contacts", store: "pg", table: "contacts", key: ["id"], identifiers: [
                IdentifierColumn(column: "ref", type: "ref"), IdentifierColumn(column: "email", type: "email"),
                IdentifierColumn(column: "additional_attributes.phone", type: "phone"),
            ])],
            identifiers: [IdentifierType(name: "ref", kind: .opaque), IdentifierType(name: "email", kind: .email),
                          IdentifierType(name: "phone", kind: .phone, regions: ["FR"])])
    }

    @Test("A unique index on a citext column, a composite index leading with the column and a ->> expression index serve their lookups")
    func equivalentIndexes() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let fixture = try await Self.fixture(schema: schema, client: client, """
                CREATE UNIQUE INDEX contacts_ref ON S.contacts (ref, account_id)
                CREATE INDEX contacts_phone ON S.contacts ((additional_attributes->>'phone'))
                """)
            let advice = try await Self.advice(schema: schema, fixture: fixture)
            #expect(advice["ref"] == nil, "\(advice)")
            #expect(advice["additional_attributes.phone"] == nil, "\(advice)")
        }
    }

    @Test("Without them, or with the column second in a composite index, the advice is the index the lookup uses; lower(email) is named as unusable")
    func missingIndexes() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let fixture = try await Self.fixture(schema: schema, client: client, """
                CREATE INDEX contacts_account_ref ON S.contacts (account_id, ref)
                CREATE INDEX contacts_lower_email ON S.contacts (lower(email))
                """)
            let advice = try await Self.advice(schema: schema, fixture: fixture)
            #expect(advice["ref"]?.fix == #"CREATE INDEX "contacts_ref" ON "contacts" ("ref")"#, "\(advice)")
            let phone = try #require(advice["additional_attributes.phone"]?.fix, "\(advice)")
            #expect(phone == #"CREATE INDEX "contacts_additional_attributes_phone" ON "contacts" (("additional_attributes" ->> 'phone'))"#)
            let email = try #require(advice["email"], "\(advice)")
            #expect(email.message.contains("lower(email)") && email.message.contains("cannot use"), "\(email)")
            // The advice runs as written (in the test's schema), and then serves the lookup.
            try await client.query(PostgresQuery(unsafeSQL: phone.replacingOccurrences(of: #"ON "contacts""#, with: #"ON \#(schema)."contacts""#)))
            let again = try await Self.advice(schema: schema, fixture: fixture)
            #expect(again["additional_attributes.phone"] == nil, "\(again)")
        }
    }
}
