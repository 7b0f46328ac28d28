import DSARKit
import DSARKitPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// A helpdesk in Chatwoot's shape on the real server: `bigint` ids, a tenant column, `jsonb`
/// attributes holding a second phone number, polymorphic `sender_type/sender_id` and
/// ActiveStorage `record_type/record_id`, blob files laid out as Rails' Disk service does.
@Suite("Helpdesk schema on PostgreSQL")
struct RealSchemaPostgresTests {
    static let tables = """
        CREATE TABLE S.contacts (id bigserial PRIMARY KEY, account_id bigint NOT NULL, name varchar(255), email varchar(255), phone_number varchar(255), additional_attributes jsonb NOT NULL DEFAULT '{}')
        CREATE INDEX ON S.contacts ((additional_attributes ->> 'alternate_phone'))
        CREATE TABLE S.users (id bigserial PRIMARY KEY, email varchar(255) NOT NULL, name varchar(255))
        CREATE TABLE S.conversations (id bigserial PRIMARY KEY, account_id bigint NOT NULL, contact_id bigint, assignee_id bigint)
        CREATE TABLE S.messages (id bigserial PRIMARY KEY, account_id bigint NOT NULL, conversation_id bigint NOT NULL, sender_type varchar, sender_id bigint, content text)
        CREATE TABLE S.active_storage_blobs (id bigserial PRIMARY KEY, key varchar NOT NULL, filename varchar NOT NULL)
        CREATE TABLE S.active_storage_attachments (id bigserial PRIMARY KEY, name varchar NOT NULL, record_type varchar NOT NULL, record_id bigint NOT NULL, blob_id bigint NOT NULL)
        INSERT INTO S.contacts VALUES (1, 1, 'Amel', 'amel@example.tn', '+21698123456', '{"city": "Tunis"}'), (2, 1, 'Karim', 'karim@example.fr', '+33612345678', '{"alternate_phone": "20 111 222"}'), (3, 2, 'Amel B.', 'AMEL@example.tn', NULL, '{}')
        CREATE TABLE S.voice_calls (id bigserial PRIMARY KEY, account_id bigint NOT NULL, clid text)
        INSERT INTO S.voice_calls VALUES (1, 1, '"Karim B." <+216 20 111 222>'), (2, 1, '"Other" <+216 20 111 2229>'), (3, 1, NULL)
        INSERT INTO S.users VALUES (1, 'sami@atlas.example', 'Sami')
        INSERT INTO S.conversations VALUES (10, 1, 1, 1), (11, 1, 2, 1), (12, 2, 3, NULL)
        INSERT INTO S.messages VALUES (100, 1, 10, 'Contact', 1, 'bonjour'), (101, 1, 10, 'User', 1, 'bienvenue'), (102, 1, 11, 'Contact', 2, 'salut'), (103, 1, 11, 'User', 1, 'merci'), (104, 2, 12, 'Contact', 3, 'hello')
        INSERT INTO S.active_storage_blobs VALUES (1000, 'ab12cd34ef', 'avatar.png'), (1001, 'zz98yy76xx', 'agent.png'), (1002, 'qq11ww22ee', 'facture.pdf'), (1003, 'mm33nn44oo', 'photo.jpg')
        INSERT INTO S.active_storage_attachments VALUES (1, 'avatar', 'Contact', 1, 1000), (2, 'avatar', 'User', 1, 1001), (3, 'file', 'Message', 100, 1002), (4, 'file', 'Message', 102, 1003)
        """

    static func catalog(schema: String, folder: URL) -> String {
        """
        version: 1
        controller: { name: Atlas Contact SARL, contact: dpo@atlas.example }
        identifiers:
          contact_id: { type: opaque }
          email: { type: email }
          phone: { type: phone, regions: [TN, FR], shared: true }
        stores:
          helpdesk: { type: postgres, url: "\(PostgresTestServer.url ?? "")", passwordEnv: \(PostgresTestServer.passwordVariable), schema: \(schema), connectTimeout: 60, scope: { account_id: 1 } }
          storage: { type: files, root: \(folder.appendingPathComponent("storage").path) }
        collections:
          contacts: { store: helpdesk, table: contacts, key: id, identifiers: { id: contact_id, email: email, phone_number: phone, "additional_attributes.alternate_phone": phone }, erase: delete }
          voice_calls: { store: helpdesk, table: voice_calls, key: id, identifiers: { clid: { type: phone, extract: "<([^>]+)>" } }, erase: delete }
          users: { store: helpdesk, table: users, key: id, scope: {}, identifiers: { email: email }, erase: retain, retainReason: staff accounts }
          conversations: { store: helpdesk, table: conversations, key: id, references: { contact_id: contacts.id, assignee_id: users.id }, erase: delete }
          messages:
            store: helpdesk
            table: messages
            key: id
            references:
              conversation_id: conversations.id
              sender_id: [ { to: contacts.id, when: { sender_type: Contact } }, { to: users.id, when: { sender_type: User } } ]
            erase: delete
          attachments:
            store: helpdesk
            table: active_storage_attachments
            key: id
            scope: {}
            references:
              record_id: [ { to: contacts.id, when: { record_type: Contact } }, { to: users.id, when: { record_type: User } }, { to: messages.id, when: { record_type: Message } } ]
              blob_id: blobs.id
            erase: delete
          blobs: { store: helpdesk, table: active_storage_blobs, key: id, scope: {}, files: { store: storage, path: "{key:0:2}/{key:2:4}/{key}" }, erase: delete }
        """
    }

    private func items(_ result: DiscoveryResult) -> Set<String> {
        Set(result.records.map { "\($0.id.collection)[\($0.id.key)]" })
    }

    @Test("Discovery, packages' keys and erasure follow tenants, JSON attributes and polymorphic links on PostgreSQL")
    func helpdesk() async throws {
        guard PostgresTestServer.available() else { return }
        try await PostgresTestServer.withSchema { schema, client in
            for statement in Self.tables.replacingOccurrences(of: "S.", with: "\(schema).").split(separator: "\n") {
                try await client.query(PostgresQuery(unsafeSQL: String(statement)))
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dsar-helpdesk-\(UUID().uuidString.prefix(8))")
            for key in ["ab12cd34ef", "zz98yy76xx", "qq11ww22ee", "mm33nn44oo"] {
                let url = folder.appendingPathComponent("storage/\(key.prefix(2))/\(key.dropFirst(2).prefix(2))/\(key)")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("blob \(key)".utf8).write(to: url)
            }
            let catalogURL = folder.appendingPathComponent("dsar.yaml")
            try Self.catalog(schema: schema, folder: folder).write(to: catalogURL, atomically: true, encoding: .utf8)
            let catalog = try Catalog.load(from: catalogURL)
            let stores = try StoreSet.open(for: catalog, openers: ["postgres": PostgresStore.opener], readOnly: false)

            let karim = try await Discovery(catalog: catalog, stores: stores)
                .discover(try DataSubject(parsing: ["phone:+216 20 111 222"], catalog: catalog))
            #expect(items(karim) == ["contacts[id=2]", "conversations[id=11]", "messages[id=102]", "messages[id=103]",
                                     "attachments[id=4]", "blobs[id=1003]", "voice_calls[id=1]"])

            let amel = try DataSubject(parsing: ["email:amel@example.tn"], catalog: catalog)
            let found = try await Discovery(catalog: catalog, stores: stores).discover(amel)
            #expect(items(found) == ["contacts[id=1]", "conversations[id=10]", "messages[id=100]", "messages[id=101]",
                                     "attachments[id=1]", "attachments[id=3]", "blobs[id=1000]", "blobs[id=1002]"])
            #expect(Set(found.files.map(\.path)) == ["ab/12/ab12cd34ef", "qq/11/qq11ww22ee"])

            func rows(_ table: String) async throws -> [String] {
                var rows: [String] = []
                for try await text in try await client.query(PostgresQuery(unsafeSQL: "SELECT t::text FROM \(schema).\(table) t ORDER BY id")).decode(String.self) {
                    rows.append(text)
                }
                return rows
            }
            let before = (contacts: try await rows("contacts"), messages: try await rows("messages"),
                          attachments: try await rows("active_storage_attachments"), blobs: try await rows("active_storage_blobs"))
            let ledger = try Ledger(url: folder.appendingPathComponent(".dsar/ledger.sqlite"))
            try ledger.generateSigningKey()
            let outcome = try await Erasure(catalog: catalog, stores: stores, ledger: ledger).execute(amel)
            #expect(outcome.isComplete)
            #expect(try await rows("contacts") == before.contacts.filter { !$0.hasPrefix("(1,") })
            #expect(try await rows("messages") == before.messages.filter { !$0.hasPrefix("(100,") && !$0.hasPrefix("(101,") })
            #expect(try await rows("active_storage_attachments") == before.attachments.filter { !$0.hasPrefix("(1,") && !$0.hasPrefix("(3,") })
            #expect(try await rows("active_storage_blobs") == before.blobs.filter { !$0.hasPrefix("(1000,") && !$0.hasPrefix("(1002,") })
            let left = FileManager.default.subpaths(atPath: folder.appendingPathComponent("storage").path)?.filter { $0.count == 16 } ?? []
            #expect(Set(left) == ["zz/98/zz98yy76xx", "mm/33/mm33nn44oo"])
        }
    }
}
