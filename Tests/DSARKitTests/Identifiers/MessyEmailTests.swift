import DSARKit
import Foundation
import GRDB
import Testing

/// Emails as contact-centre databases really hold them: padded with tabs, no-break spaces and
/// newlines, and look-alike letters that a database does not fold.
@Suite("Messy email values")
struct MessyEmailTests {
    static let yaml = """
        version: 1
        controller: { name: Atlas Contact SARL, contact: dpo@example.com }
        identifiers:
          customer_id: { type: opaque }
          email: { type: email }
        stores:
          crm: { type: sqlite, path: crm.sqlite }
        collections:
          customers:
            store: crm
            table: customers
            key: id
            identifiers: { id: customer_id, email: email }
            purpose: Accounts
            lawfulBasis: contract
            erase: delete
        """

    /// A SQLite database with `rows` (id, email) in `customers`, and its catalog.
    static func fixture(_ rows: [(Int, String)]) throws -> (Catalog, URL) {
        let folder = try ExampleData.temporaryFolder()
        let database = folder.appendingPathComponent("crm.sqlite")
        let queue = try DatabaseQueue(path: database.path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)")
            for (id, email) in rows {
                try db.execute(sql: "INSERT INTO customers (id, email) VALUES (?, ?)", arguments: [id, email])
            }
        }
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "dsar.yaml", baseDirectory: folder)
        return (catalog, database)
    }

    static func ids(_ database: URL) throws -> [Int] {
        try DatabaseQueue(path: database.path).read { db in try Int.fetchAll(db, sql: "SELECT id FROM customers ORDER BY id") }
    }

    @Test("A Kelvin sign in one customer's email does not fold onto another customer's kim@…: erasing one keeps the other")
    func kelvinSign() async throws {
        let (catalog, database) = try Self.fixture([(1, "kim@example.com"), (2, "\u{212A}im@example.com")])
        let ledger = try Ledger(url: database.deletingLastPathComponent().appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let stores = try StoreSet.open(for: catalog, readOnly: false)
        let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
        let subject = try DataSubject(parsing: ["email:\u{212A}im@example.com"], catalog: catalog)
        let plan = try await erasure.plan(for: subject)
        #expect(plan.collection("customers")?.deleted == ["id=2"])
        let outcome = try await erasure.execute(subject)
        #expect(outcome.isComplete, "\(outcome.residue)")
        #expect(try Self.ids(database) == [1], "kim's row must stay")
    }

    @Test("Emails stored with a tab, a no-break space or a newline around them are found, in any ASCII case")
    func paddedValues() async throws {
        let (catalog, _) = try Self.fixture([
            (1, "\tkim@example.com"), (2, "Kim@Example.com\u{00A0}"), (3, "kim@example.com\n"), (4, "\r\n kim@example.com \u{2007}"),
            (5, "kim@example.community"), (6, "ki m@example.com"),
        ])
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["email:KIM@example.com"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject)
        #expect(result.records(in: "customers").map(\.id.key.description) == ["id=1", "id=2", "id=3", "id=4"])
    }

    @Test("Letters outside ASCII are compared as the database compares them: not case-folded")
    func nonASCIILetters() async throws {
        let (catalog, _) = try Self.fixture([(1, "élodie@exemple.fr"), (2, "Élodie@exemple.fr")])
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["email:ÉLODIE@EXEMPLE.FR"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject)
        #expect(result.records(in: "customers").map(\.id.key.description) == ["id=2"])
    }

    @Test("The lookup expression dsar check suggests is the one lookups use, so the index is used")
    func indexedLookup() async throws {
        let (catalog, database) = try Self.fixture([(1, "kim@example.com")])
        let before = await CatalogCheck(catalog: catalog).run()
        let advice = try #require(before.first { $0.message.contains("no case-insensitive index") }?.fix)
        try await DatabaseQueue(path: database.path).write { db in try db.execute(sql: advice) }
        let after = await CatalogCheck(catalog: catalog).run()
        #expect(!after.contains { $0.message.contains("no case-insensitive index") }, "\(after)")
        // The indexed expression, as the advice writes it, is what a lookup must compare.
        let expression = try #require(advice.range(of: " ON \"customers\" (").map { String(advice[$0.upperBound...].dropLast()) })
        let plan = try await DatabaseQueue(path: database.path).read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM customers WHERE \(expression) IN ('kim@example.com')")
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.joined().contains("USING INDEX"), "\(plan)")
    }
}
