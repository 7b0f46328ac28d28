@testable import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Drafting polymorphic references (*_type / *_id)")
struct PolymorphicDraftTests {
    /// Chatwoot's shape in SQLite: messages sent by contacts or users, ActiveStorage attachments of
    /// contacts and of message attachments, and a sender type naming no table (`AgentBot`).
    static func database() throws -> (path: String, folder: URL) {
        let folder = try ExampleData.temporaryFolder()
        let path = folder.appendingPathComponent("helpdesk.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT);
                CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
                CREATE TABLE attachments (id INTEGER PRIMARY KEY, extension TEXT);
                CREATE TABLE messages (id INTEGER PRIMARY KEY, content TEXT, sender_type TEXT, sender_id INTEGER);
                CREATE TABLE active_storage_attachments (id INTEGER PRIMARY KEY, record_type TEXT, record_id INTEGER);
                INSERT INTO contacts VALUES (1, 'amel.benali@example.tn'), (2, 'karim@example.fr'), (7, 'leila@example.tn');
                INSERT INTO users VALUES (1, 'nadia@atlas.example'), (2, 'youssef@atlas.example');
                INSERT INTO attachments VALUES (200, 'jpg'), (201, 'pdf');
                INSERT INTO messages VALUES (100, 'a', 'Contact', 1), (101, 'b', 'User', 1), (102, 'c', 'Contact', 2),
                                            (103, 'd', 'User', 2), (104, 'e', 'AgentBot', 1), (105, 'f', 'Contact', 7);
                INSERT INTO active_storage_attachments VALUES (1, 'Contact', 1), (2, 'Attachment', 200), (3, 'Attachment', 201);
                """)
        }
        return (path, folder)
    }

    @Test("each table a type value names is a guessed reference applying to its rows, written in the catalog's form")
    func pairsDrafted() async throws {
        let (path, folder) = try Self.database()
        let store = try SQLiteStore(name: "desk", path: path)
        let draft = try await CatalogDraft.read([(CatalogDraft.Store(name: "desk", type: "sqlite", location: path), store)], regions: [])
        let yaml = draft.yaml
        #expect(yaml.contains("""
                  sender_id:
                    - { to: contacts.id, when: { sender_type: Contact } }  # guess: polymorphic; all 3 sampled values of these rows found in contacts.id
                    - { to: users.id, when: { sender_type: User } }  # guess: polymorphic; all 2 sampled values of these rows found in users.id
            """), "\(yaml)")
        #expect(yaml.contains("# review: 1 other sampled value of sender_type names no table of this store"))
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: folder)
        let links = Set(catalog.collections.flatMap { collection in
            collection.references.map { reference in
                "\(collection.table ?? "").\(reference.column)→\(reference.targetCollection).\(reference.targetColumn) when "
                    + reference.conditions.map { "\($0.column)=\($0.values.joined(separator: "|"))" }.joined(separator: ",")
            }
        })
        #expect(links == [
            "messages.sender_id→contacts.id when sender_type=Contact", "messages.sender_id→users.id when sender_type=User",
            "active_storage_attachments.record_id→contacts.id when record_type=Contact",
            "active_storage_attachments.record_id→attachments.id when record_type=Attachment",
        ])
        #expect(!yaml.contains("AgentBot"), "a value naming no table is counted, never written")
    }

    @Test("a type value is read as a Rails class name or a table name")
    func typeNames() {
        let tables = ["contacts", "active_storage_blobs", "channel_web_widgets", "categories", "boxes"].map {
            SchemaTable(name: $0, columns: [], primaryKey: ["id"], foreignKeys: [])
        }
        let named = ["Contact", "ActiveStorage::Blob", "Channel::WebWidget", "Category", "Box", "contacts", "Amel Ben Ali", "x@y.tn"]
            .map { CatalogDraft.table(namedBy: $0, in: tables)?.name ?? "-" }
        #expect(named == ["contacts", "active_storage_blobs", "channel_web_widgets", "categories", "boxes", "contacts", "-", "-"])
    }
}
