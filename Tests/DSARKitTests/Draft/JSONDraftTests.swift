import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Drafting identifiers inside JSON columns")
struct JSONDraftTests {
    static let values = ["06 12 34 56 78", "+216 98 123 456", "kim.roy@example.fr", "k.roy@example.fr", "amel.benali@example.tn"]

    @Test("keys whose sampled values are phones or emails become JSON-path identifiers, with counts only")
    func keysDrafted() async throws {
        let folder = try ExampleData.temporaryFolder()
        let path = folder.appendingPathComponent("crm.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, custom_attributes TEXT, notes TEXT);
                INSERT INTO contacts VALUES
                  (1, ?, '{"mobile": "\(Self.values[0])", "plan": "basic"}', 'call back'),
                  (2, NULL, '{"plan": "premium", "owner": {"email": "\(Self.values[2])"}}', NULL),
                  (3, NULL, '{"mobile": "\(Self.values[1])", "\(Self.values[3])": "x"}', '{not json'),
                  (4, NULL, '{}', NULL);
                """, arguments: [Self.values[4]])
        }
        let store = try SQLiteStore(name: "crm", path: path)
        let draft = try await CatalogDraft.read([(CatalogDraft.Store(name: "crm", type: "sqlite", location: path), store)], regions: ["FR", "TN"])
        let yaml = draft.yaml
        #expect(yaml.contains("""
                  custom_attributes.mobile: phone  # 100% of 2 sampled values parse as phone numbers (FR, TN); the key is in 2 of 4 sampled JSON objects
            """), "\(yaml)")
        #expect(yaml.contains("custom_attributes.owner.email: email  # 100% of 1 sampled value parse as email addresses; the key is in 1 of 4"))
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: folder)
        let identifiers = Set(catalog.collections.flatMap { $0.identifiers.map { "\($0.column)=\($0.type)" } })
        #expect(identifiers == ["email=email", "custom_attributes.mobile=phone", "custom_attributes.owner.email=email"])
        let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        #expect(Self.values.allSatisfy { !yaml.contains($0) && !json.contains($0) }, "a key or value reached the output")
    }

    @Test("a JSON column without identifiers adds nothing")
    func nothingFound() async throws {
        let folder = try ExampleData.temporaryFolder()
        let path = folder.appendingPathComponent("crm.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE settings (id INTEGER PRIMARY KEY, ui TEXT);
                INSERT INTO settings VALUES (1, '{"theme": "dark", "size": 12}'), (2, '{"theme": "light", "pin": "12345678"}');
                """)
        }
        let store = try SQLiteStore(name: "crm", path: path)
        let draft = try await CatalogDraft.read([(CatalogDraft.Store(name: "crm", type: "sqlite", location: path), store)], regions: ["FR"])
        #expect(draft.collections.flatMap(\.identifiers).isEmpty)
    }
}
