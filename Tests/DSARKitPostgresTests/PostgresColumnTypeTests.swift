import DSARKit
@testable import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// Keys, identifiers, references and masks in every common PostgreSQL column type, through
/// discovery, an access package, an interrupted erasure and its resume, against a real server.
@Suite("PostgreSQL column types")
struct PostgresColumnTypeTests {
    /// A key column type, two people's keys in it (SQL literals) and how person A's reads back.
    struct KeyType: Sendable, CustomTestStringConvertible {
        let sql: String
        let a: String
        let b: String
        let readA: Value
        /// Whether a child table references the key with a column of the same type.
        var referenced = false
        /// How `data/people.json` shows A's key, as JSON text, when not as the string or number it reads as.
        var packagedA: String?
        var testDescription: String { sql }
    }

    static let keyTypes: [KeyType] = [
        KeyType(sql: "uuid", a: "'6F9619FF-8B86-D011-B42D-00C04FC964FF'", b: "'1b4e28ba-2fa1-11d2-883f-0016d3cca427'",
                readA: .text("6f9619ff-8b86-d011-b42d-00c04fc964ff"), referenced: true),
        KeyType(sql: "bigint", a: "9007199254740993", b: "2", readA: .integer(9_007_199_254_740_993), referenced: true),
        KeyType(sql: "integer", a: "7", b: "8", readA: .integer(7), referenced: true),
        KeyType(sql: "numeric", a: "12345678901234567890.50", b: "12345678901234567890.5001",
                readA: .text("12345678901234567890.5"), referenced: true),
        KeyType(sql: "text", a: "'key ''A'''", b: "'key B'", readA: .text("key 'A'"), referenced: true),
        KeyType(sql: "date", a: "'2026-03-01'", b: "'2026-03-02'", readA: .text("2026-03-01")),
        KeyType(sql: "timestamp", a: "'2026-03-01 10:00:00.123456'", b: "'2026-03-01 10:00:00.123457'",
                readA: .text("2026-03-01T10:00:00.123456")),
        KeyType(sql: "timestamptz", a: "'2026-03-01 10:00:00.5+01'", b: "'2026-03-01 10:00:00.5+00'",
                readA: .text("2026-03-01T09:00:00.5+00:00")),
        KeyType(sql: "boolean", a: "true", b: "false", readA: .text("true"), packagedA: "true"),
        KeyType(sql: "citext", a: "'Key-A'", b: "'key-b'", readA: .text("Key-A")),
        KeyType(sql: "varchar(12)", a: "'k-a'", b: "'k-b'", readA: .text("k-a")),
        KeyType(sql: "S.mood", a: "'it''s complicated'", b: "'sad'", readA: .text("it's complicated")),
        KeyType(sql: "S.ticket_code", a: "'T-1'", b: "'T-2'", readA: .text("T-1"), referenced: true),
        KeyType(sql: "char(6)", a: "'c-a'", b: "'c-b'", readA: .text("c-a")),
        KeyType(sql: "jsonb", a: #"'{"b": 1, "a": [1, 2]}'"#, b: #"'{"a": 2}'"#, readA: .text(#"{"a": [1, 2], "b": 1}"#),
                packagedA: #"{"a": [1, 2], "b": 1}"#),
    ]

    @Test("A key of each type: discovered, packaged as it reads back, erased after an interruption and resumed; others untouched",
          arguments: keyTypes)
    func keyType(_ type: KeyType) async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.people (id \(type.sql) PRIMARY KEY, email text NOT NULL, note text)
                INSERT INTO S.people VALUES (\(type.a), ' A@Example.com', 'note of A'), (\(type.b), 'b@example.com', 'note of B')
                """ + (type.referenced ? """

                CREATE TABLE S.visits (vid bigint PRIMARY KEY, person_id \(type.sql) REFERENCES S.people (id), place text)
                INSERT INTO S.visits VALUES (1, \(type.a), 'x'), (2, \(type.a), 'y'), (3, \(type.b), 'z')
                """ : ""))
            var collections = [DataCollection(name: "people", store: "pg", table: "people", key: ["id"],
                                              identifiers: [IdentifierColumn(column: "email", type: "email")])]
            if type.referenced {
                collections.append(DataCollection(name: "visits", store: "pg", table: "visits", key: ["vid"],
                                                   references: [Reference(column: "person_id", targetCollection: "people", targetColumn: "id")]))
            }
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: collections)
            let subject = try fixture.subject("email:a@example.com")

            let store = try fixture.store()
            let result = try await Discovery(catalog: fixture.catalog, stores: StoreSet([store])).discover(subject, keeping: .linkColumns)
            store.close()
            #expect(result.problems.isEmpty && result.conflicts.isEmpty, "\(result.problems) \(result.conflicts)")
            #expect(result.records(in: "people").map(\.id.key.values) == [[type.readA]])
            if type.referenced {
                #expect(result.records(in: "visits").map(\.id.key.values).sorted { $0[0] < $1[0] } == [[.integer(1)], [.integer(2)]])
            }

            let packaged = try await fixture.packaged(result, collection: "people")
            let shown = try type.packagedA ?? String(decoding: JSONEncoder().encode(type.readA), as: UTF8.self)
            let expected = try JSONSerialization.jsonObject(with: Data(shown.utf8), options: .fragmentsAllowed) as? NSObject
            #expect(packaged.count == 1 && (packaged.first?["id"] as? NSObject) == expected, "the key in its JSON type: \(packaged)")
            #expect(packaged.first?["note"] as? String == "note of A")

            let otherPeople = try await fixture.rows("people", where: "email = 'b@example.com'")
            let otherVisits = type.referenced ? try await fixture.rows("visits", where: "vid = 3") : []
            let outcome = try #require(try await fixture.eraseInterrupted(subject, at: "people"))
            #expect(outcome.isComplete, "\(outcome.residue)")
            #expect(!outcome.replanned, "the journaled keys found the same rows again")
            #expect(outcome.certificate.verification == "complete")
            #expect(try await fixture.rows("people") == otherPeople, "only A's row is gone")
            if type.referenced { #expect(try await fixture.rows("visits") == otherVisits, "only A's visits are gone") }
        }
    }

    @Test("Identifier columns of text-like types are looked up as their type compares: text, varchar, citext, and opaque ids in uuid",
          arguments: ["text", "varchar(80)", "citext"])
    func identifierType(_ sql: String) async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.contacts (id bigint PRIMARY KEY, email \(sql), ref uuid, code varchar(5))
                CREATE INDEX ON S.contacts (lower(trim(email)))
                INSERT INTO S.contacts VALUES (1, ' Ana@Example.com ', NULL, NULL), (2, 'bob@example.com', '1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'AB123')
                INSERT INTO S.contacts VALUES (3, 'ANA@example.COM', NULL, NULL), (4, 'carl@example.com', '6f9619ff-8b86-d011-b42d-00c04fc964ff', NULL)
                """)
            let fixture = try PostgresTypeFixture(
                schema: schema, client: client,
                collections: [DataCollection(name: "contacts", store: "pg", table: "contacts", key: ["id"], identifiers: [
                    IdentifierColumn(column: "email", type: "email"), IdentifierColumn(column: "ref", type: "ref"),
                    IdentifierColumn(column: "code", type: "code"),
                ])],
                identifiers: [IdentifierType(name: "email", kind: .email), IdentifierType(name: "ref", kind: .opaque),
                              IdentifierType(name: "code", kind: .opaque)])
            let store = try fixture.store()
            defer { store.close() }
            let discovery = Discovery(catalog: fixture.catalog, stores: StoreSet([store]))
            func found(_ identifiers: String...) async throws -> [Value] {
                let result = try await discovery.discover(try DataSubject(parsing: identifiers, catalog: fixture.catalog))
                #expect(result.problems.isEmpty, "\(result.problems)")
                return result.records(in: "contacts").map { $0.id.key.values[0] }.sorted()
            }
            #expect(try await found("email:ana@example.com") == [.integer(1), .integer(3)])
            #expect(try await found("ref:1b4e28ba-2fa1-11d2-883f-0016d3cca427") == [.integer(2)], "a uuid compares as a uuid")
            #expect(try await found("ref:not-a-uuid") == [], "a value that is no uuid finds nothing, and fails nothing")
            #expect(try await found("code:AB123") == [.integer(2)])
            #expect(try await found("code:AB1234567") == [], "a longer value is not cut to the column's length")

            let others = try await fixture.rows("contacts", where: "id IN (2, 4)")
            let outcome = try #require(try await fixture.eraseInterrupted(try fixture.subject("email:ana@example.com"), at: "contacts"))
            #expect(outcome.isComplete && !outcome.replanned, "\(outcome.residue)")
            #expect(try await fixture.rows("contacts") == others)
        }
    }

    @Test("Masks into text-like columns (null, redact, hash into text, varchar, citext; null into an enum, uuid, timestamptz, jsonb) survive a resume")
    func masks() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.tickets (id uuid PRIMARY KEY, email citext, caller varchar(80), topic text, agent_note varchar(40), feeling S.mood, device uuid, opened timestamptz, meta jsonb)
                INSERT INTO S.tickets VALUES ('00000000-0000-0000-0000-00000000000a', 'a@example.com', '+33612345678', 'billing', 'called twice', 'sad', gen_random_uuid(), now(), '{"x": 1}')
                INSERT INTO S.tickets VALUES ('00000000-0000-0000-0000-00000000000b', 'b@example.com', '+33699999999', 'billing', 'fine', 'happy', gen_random_uuid(), now(), '{"y": 2}')
                """)
            let masks: [ColumnMask] = [
                ColumnMask(column: "email", strategy: .hash), ColumnMask(column: "caller", strategy: .hash),
                ColumnMask(column: "topic", strategy: .redact), ColumnMask(column: "agent_note", strategy: .redact),
                ColumnMask(column: "feeling", strategy: .null), ColumnMask(column: "device", strategy: .null),
                ColumnMask(column: "opened", strategy: .null), ColumnMask(column: "meta", strategy: .null),
            ]
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: [
                DataCollection(name: "tickets", store: "pg", table: "tickets", key: ["id"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")], erase: .mask(masks)),
            ])
            let other = try await fixture.rows("tickets", where: "email = 'b@example.com'")
            let outcome = try #require(try await fixture.eraseInterrupted(try fixture.subject("email:a@example.com"), at: "tickets"))
            #expect(outcome.isComplete && !outcome.replanned, "\(outcome.residue)")
            let masked = try await fixture.rows("tickets", where: "id = '00000000-0000-0000-0000-00000000000a'")
            #expect(masked.count == 1)
            let hex = "[0-9a-f]{64}"
            #expect(masked.first?.wholeMatch(of: try Regex("\\(00000000-0000-0000-0000-00000000000a,\(hex),\(hex),\\[erased\\],\\[erased\\],,,,\\)")) != nil,
                    "\(masked)")
            #expect(try await fixture.rows("tickets", where: "id <> '00000000-0000-0000-0000-00000000000a'") == other)
        }
    }

    @Test("A composite key (email text, last_visit timestamp), as in Fides' sample shop, and (email, timestamptz): erased exactly",
          arguments: ["timestamp", "timestamptz"])
    func compositeKey(_ sql: String) async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.visit (email text, last_visit \(sql), PRIMARY KEY (email, last_visit))
                INSERT INTO S.visit VALUES ('a@example.com', '2026-01-01 09:00:00.25'), ('a@example.com', '2026-01-02 10:00:00'), ('b@example.com', '2026-01-01 09:00:00.25')
                """)
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: [
                DataCollection(name: "visit", store: "pg", table: "visit", key: ["email", "last_visit"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")]),
            ])
            let subject = try fixture.subject("email:a@example.com")
            let store = try fixture.store()
            let result = try await Discovery(catalog: fixture.catalog, stores: StoreSet([store])).discover(subject, keeping: .linkColumns)
            store.close()
            let zone = sql == "timestamptz" ? "+00:00" : ""
            #expect(result.records(in: "visit").map(\.id.key.values).sorted { $0[1] < $1[1] } == [
                [.text("a@example.com"), .text("2026-01-01T09:00:00.25" + zone)],
                [.text("a@example.com"), .text("2026-01-02T10:00:00" + zone)],
            ])
            let packaged = try await fixture.packaged(result, collection: "visit")
            #expect(packaged.count == 2)
            let other = try await fixture.rows("visit", where: "email = 'b@example.com'")
            let outcome = try #require(try await fixture.eraseInterrupted(subject, at: "visit"))
            #expect(outcome.isComplete && !outcome.replanned, "\(outcome.residue)")
            #expect(try await fixture.rows("visit") == other)
        }
    }

    @Test("Holds on boolean, date and timestamptz columns keep exactly the held rows", arguments: [
        ("boolean", "true", "false"), ("date", "'2999-01-01'", "'2001-01-01'"),
        ("timestamptz", "'2999-01-01 10:00:00+02'", "'2001-01-01 10:00:00+02'"),
    ])
    func hold(_ sql: String, _ held: String, _ free: String) async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.orders (id uuid PRIMARY KEY, email text, hold_flag \(sql))
                INSERT INTO S.orders VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', \(held)), ('00000000-0000-0000-0000-000000000002', 'a@example.com', \(free))
                INSERT INTO S.orders VALUES ('00000000-0000-0000-0000-000000000003', 'a@example.com', NULL), ('00000000-0000-0000-0000-000000000004', 'b@example.com', \(free))
                """)
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: [
                DataCollection(name: "orders", store: "pg", table: "orders", key: ["id"],
                               identifiers: [IdentifierColumn(column: "email", type: "email")],
                               hold: HoldRule(column: "hold_flag", reason: "litigation")),
            ])
            let before = try await fixture.rows("orders", where: "id IN ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000004')")
            let outcome = try #require(try await fixture.eraseInterrupted(try fixture.subject("email:a@example.com"), at: "orders"))
            let heldRows = outcome.plan.collection("orders")?.held ?? []
            #expect(heldRows.count == 1 && heldRows.allSatisfy { $0.key.hasSuffix("00000000-0000-0000-0000-000000000001") }, "\(heldRows)")
            #expect(!outcome.replanned)
            #expect(try await fixture.rows("orders") == before, "the held row and the other person's stay; the rest is gone")
        }
    }

    @Test("Lookups and deletes by uuid, bigint and timestamptz keys use the column's index", arguments: ["uuid", "bigint", "timestamptz"])
    func indexed(_ sql: String) async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            let generated = switch sql {
            case "uuid": "md5(i::text)::uuid"
            case "bigint": "i"
            default: "timestamptz '2026-01-01' + i * interval '1 second'"
            }
            try await PostgresTypeFixture.create(client, schema: schema, """
                CREATE TABLE S.events (k \(sql) PRIMARY KEY, note text)
                INSERT INTO S.events SELECT \(generated), 'n' FROM generate_series(1, 5000) AS i
                ANALYZE S.events
                """)
            let fixture = try PostgresTypeFixture(schema: schema, client: client, collections: [])
            let store = try fixture.store()
            defer { store.close() }
            let columns = try await store.columns(of: "events")
            let key = try #require(columns.first)
            // A key as the store reads it.
            let read = try await store.allRecords(in: DataCollection(name: "events", store: "pg", table: "events"),
                                                  where: ColumnMatch(column: "note", values: [.text("n")]))
            let some = read.prefix(3).compactMap { $0["k"] }
            #expect(some.count == 3)
            let lookup = try #require(PostgresStore.lookup(table: store.qualified("events"), columns: columns, column: key,
                                                           match: ColumnMatch(column: "k", values: some)))
            let (condition, binds) = try #require(PostgresStore.keysCondition([key], ArraySlice(some.map { [$0] })))
            for query in [lookup, PostgresQuery(unsafeSQL: "DELETE FROM \(store.qualified("events")) WHERE \(condition)", binds: binds)] {
                let plan = try await client.withConnection { connection in
                    try await connection.query("SET enable_seqscan = off", logger: Logger(label: "test"))
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + query.sql, binds: query.binds),
                                                          logger: Logger(label: "test"))
                    var lines: [String] = []
                    for try await line in rows.decode(String.self) { lines.append(line) }
                    try await connection.query("RESET enable_seqscan", logger: Logger(label: "test"))
                    return lines.joined(separator: "\n")
                }
                #expect(plan.contains("Index Scan") || plan.contains("Index Only Scan") || plan.contains("Bitmap Index Scan"), "\(plan)")
                #expect(!plan.contains("Seq Scan"), "\(plan)")
            }
            let found = try await store.allRecords(in: DataCollection(name: "events", store: "pg", table: "events"),
                                                   where: ColumnMatch(column: "k", values: some))
            #expect(Set(found.compactMap { $0["k"] }) == Set(some), "each key read back finds its row")
        }
    }
}
