import DSARKit
import DSARKitPostgres
import Foundation
import Testing

/// `data/<collection>.json` of a package from PostgreSQL keeps each column's type.
@Suite("PostgreSQL values in access packages")
struct PostgresPackageTypeTests {
    @Test("jsonb and json as JSON, boolean as true/false, integers, floats and numeric as numbers (exact), NULL as null, text as text")
    func typedValues() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.contacts (id bigint PRIMARY KEY, email text, attributes jsonb, raw json, vip boolean, blocked boolean, small integer, score double precision, balance numeric(20,4), price numeric(12,2), code text, born date, mood S.mood, gone text)
                INSERT INTO S.contacts VALUES (1, 'ana@example.com', '{"phone": "+33612345678", "tags": ["a", "b"], "n": 12345678901234567890}', '[1, {"x": null}]', true, false, -7, 2.5, 1234567890123456.1234, 12.50, '0042', '2026-03-01', 'sad', NULL)
                INSERT INTO S.contacts VALUES (2, 'bob@example.com', '{}', NULL, false, true, 1, 1, 1, 1, 'x', NULL, NULL, 'x')
                """)
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: [
                DataCollection(name: "contacts", store: "pg", table: "contacts", key: ["id"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")]),
            ])
            let store = try fixture.store()
            let result = try await Discovery(catalog: fixture.catalog, stores: StoreSet([store]))
                .discover(try fixture.subject("email:ana@example.com"), keeping: .linkColumns)
            store.close()
            let rows = try await fixture.packaged(result, collection: "contacts")
            let row = try #require(rows.first)
            #expect(rows.count == 1, "only Ana's row")
            let attributes = try #require(row["attributes"] as? [String: Any], "jsonb is an object, not a string: \(row)")
            #expect(attributes["phone"] as? String == "+33612345678")
            #expect(attributes["tags"] as? [String] == ["a", "b"])
            #expect((attributes["n"] as? NSNumber)?.stringValue == "12345678901234567890", "a number inside JSON keeps its digits")
            let raw = try #require(row["raw"] as? [Any], "json is an array")
            #expect(raw.first as? Int == 1 && (raw.last as? [String: Any])?["x"] is NSNull)
            #expect(Self.isBoolean(row["vip"], true) && Self.isBoolean(row["blocked"], false), "booleans are true/false")
            #expect(Self.isNumber(row["id"]) && row["id"] as? Int == 1)
            #expect(Self.isNumber(row["small"]) && row["small"] as? Int == -7)
            #expect(Self.isNumber(row["score"]) && row["score"] as? Double == 2.5)
            #expect(Self.isNumber(row["price"]) && row["price"] as? Double == 12.5, "numeric(12,2) 12.50 is the number 12.5")
            #expect(row["balance"] as? String == "1234567890123456.1234",
                    "a numeric a double would round keeps its exact digits, as text: \(row["balance"] ?? "nil")")
            #expect(row["code"] as? String == "0042")
            #expect(row["born"] as? String == "2026-03-01")
            #expect(row["mood"] as? String == "sad")
            #expect(row["gone"] is NSNull)
        }
    }

    /// Whether `value` was a JSON `true`/`false`: JSONSerialization reads JSON booleans as a
    /// boolean `NSNumber`, whose `objCType` is `c`, and numbers as other kinds.
    static func isBoolean(_ value: Any?, _ expected: Bool) -> Bool {
        guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else { return false }
        return number.boolValue == expected
    }

    /// Whether `value` was a JSON number (neither a boolean nor a string).
    static func isNumber(_ value: Any?) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) != "c"
    }
}
