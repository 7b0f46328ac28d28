import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Drafting a catalog from a live SQLite database")
struct CatalogDraftTests {
    @Test("the example's draft reproduces its hand catalog's identifiers and references, and reads back")
    func exampleDraftMatchesHandCatalog() async throws {
        let fixture = try DraftFixture()
        let draft = try await fixture.draft()
        let parsed = try Catalog.parse(yaml: draft.yaml, sourceName: "draft.yaml", baseDirectory: fixture.dataSet.directory)
        let hand = try Catalog.load(from: fixture.dataSet.catalogURL)
        #expect(DraftFixture.identifiers(parsed) == DraftFixture.identifiers(hand))
        #expect(DraftFixture.references(parsed) == DraftFixture.references(hand))
        #expect(parsed.identifiers.first { $0.name == "phone" }?.regions == ["FR"])
    }

    @Test("the draft says why: the share of sampled values, and guesses marked")
    func evidenceInComments() async throws {
        let yaml = try await DraftFixture().draft().yaml
        #expect(yaml.contains("email: email  # 100% of 12 sampled values parse as email addresses"))
        #expect(yaml.contains("sampled values parse as phone numbers (FR)"))
        #expect(yaml.contains("id: customer_id  # guess:"))
        #expect(yaml.contains("customer_id: customers.id  # declared foreign key"))
    }

    @Test("no sampled email or phone number reaches the YAML or the JSON")
    func noSampledValueInOutput() async throws {
        let fixture = try DraftFixture()
        let draft = try await fixture.draft(regions: ["FR", "TN"])
        let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        let values = try fixture.identifierValues()
        #expect(values.count > 12)
        let leaked = values.filter { draft.yaml.contains($0) || json.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.count) sampled values reached the output")
    }

    @Test("dsar check reports every TODO the draft leaves, the hand catalog has none")
    func todoFailsTheCheck() async throws {
        let fixture = try DraftFixture()
        let parsed = try Catalog.parse(yaml: try await fixture.draft().yaml, sourceName: "draft.yaml",
                                       baseDirectory: fixture.dataSet.directory)
        let problems = await CatalogCheck(catalog: parsed).run()
        let todos = problems.filter { $0.severity == .error && $0.message.contains("still TODO") }
        #expect(todos.contains { $0.message.contains("lawful basis of collection 'calls'") })
        #expect(todos.contains { $0.message.contains("purpose of collection 'customers'") })
        #expect(todos.contains { $0.message.contains("controller") })
        #expect(try Catalog.load(from: fixture.dataSet.catalogURL).placeholderProblems().isEmpty)
    }

    @Test("an undeclared reference is guessed from matching values; a column name alone is no identifier")
    func guessesAndNames() async throws {
        let folder = try ExampleData.temporaryFolder()
        let path = folder.appendingPathComponent("shop.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, phone TEXT);
                CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER, notes TEXT, shipped_on TEXT, weight INTEGER);
                INSERT INTO customers VALUES (1, 'a.one@example.tn', 'n/a'), (2, 'b.two@example.tn', 'unknown'), (3, 'c@example.tn', '-');
                INSERT INTO orders VALUES (10, 1, '98 123 456', '2026-03-01', 98123456), (11, 2, '22 345 678', '2026-03-02', 22345678),
                                          (12, 2, '+216 55 111 222', '01/04/2026', 55111222);
                """)
        }
        let store = try SQLiteStore(name: "shop", path: path)
        let draft = try await CatalogDraft.read([(CatalogDraft.Store(name: "shop", type: "sqlite", location: path), store)], regions: ["TN"])
        let orders = try #require(draft.collections.first { $0.table == "orders" })
        let customers = try #require(draft.collections.first { $0.table == "customers" })
        #expect(orders.references.map { "\($0.column)→\($0.targetCollection).\($0.targetColumn) \($0.isGuess)" } == ["customer_id→customers.id true"])
        #expect(orders.references.first?.evidence == "guess: all 3 sampled values found in customers.id")
        #expect(orders.identifiers.map(\.column) == ["notes"], "dates and integers are no phone numbers")
        #expect(orders.identifiers.first?.evidence == "100% of 3 sampled values parse as phone numbers (TN)")
        #expect(!customers.identifiers.contains { $0.column == "phone" })
        #expect(customers.identifiers.contains { $0.column == "id" && $0.type == "customer_id" && $0.isGuess })
        let yaml = draft.yaml
        #expect(yaml.contains("customer_id: customers.id  # guess: all 3 sampled values found in customers.id"))
        #expect(!yaml.contains("98 123 456") && !yaml.contains("a.one@example.tn"))
        _ = try Catalog.parse(yaml: yaml, baseDirectory: folder)
    }
}
