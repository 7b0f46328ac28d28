import DSARKit
import DSARKitPostgres
import Foundation
import Testing

/// An opaque identifier given as an upper-case UUID finds PostgreSQL's `uuid` columns (which
/// print lower case) and text columns holding either spelling.
@Suite("UUID identifiers on PostgreSQL")
struct PostgresUUIDIdentifierTests {
    @Test("An upper-case UUID finds the uuid column's row and the text column's row with the same spelling; lower case finds both too")
    func upperCaseUUID() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.accounts (id uuid PRIMARY KEY, note text)
                INSERT INTO S.accounts VALUES ('6f9619ff-8b86-d011-b42d-00c04fc964ff', 'A'), ('1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'B')
                CREATE TABLE S.legacy (id bigint PRIMARY KEY, account_ref text)
                INSERT INTO S.legacy VALUES (1, '6F9619FF-8B86-D011-B42D-00C04FC964FF'), (2, '1B4E28BA-2FA1-11D2-883F-0016D3CCA427')
                """)
            let fixture = try PostgresTypeFixture(
                schema: schema, client: client,
                collections: [
                    DataCollection(name: "accounts", store: "pg", table: "accounts", key: ["id"],
                                   identifiers: [IdentifierColumn(column: "id", type: "customer_id")]),
                    DataCollection(name: "legacy", store: "pg", table: "legacy", key: ["id"],
                                   identifiers: [IdentifierColumn(column: "account_ref", type: "customer_id")]),
                ],
                identifiers: [IdentifierType(name: "customer_id", kind: .opaque)])
            let store = try fixture.store()
            defer { store.close() }
            for given in ["6F9619FF-8B86-D011-B42D-00C04FC964FF", "6f9619ff-8b86-d011-b42d-00c04fc964ff"] {
                let result = try await Discovery(catalog: fixture.catalog, stores: StoreSet([store]))
                    .discover(try fixture.subject("customer_id:\(given)"))
                #expect(result.problems.isEmpty && result.conflicts.isEmpty, "\(result.problems) \(result.conflicts)")
                #expect(result.records.map(\.id.description).sorted() == ["accounts[id=6f9619ff-8b86-d011-b42d-00c04fc964ff]", "legacy[id=1]"],
                        "given \(given)")
            }
        }
    }
}
