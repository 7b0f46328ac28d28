import DSARKit
import Foundation
import GRDB

/// Two real schemas in miniature, on SQLite and a folder, described with the catalog forms
/// real systems need: a helpdesk in Chatwoot's shape (tenants by `account_id`, polymorphic
/// `sender_type/sender_id` and ActiveStorage `record_type/record_id`, blobs laid out as Rails'
/// Disk service does) and an Asterisk `cdr` table whose recordings sit under
/// `monitor/YYYY/MM/DD/` with Tunisian and French numbers written nationally.
///
/// - account 1: contact 1 Amel (amel@…, +216 98 123 456), contact 2 Karim (a second number in
///   `additional_attributes` JSON, called from it once); account 2: contact 3,
///   another controller's customer with Amel's email.
/// - user 1 is an agent (the same id as contact 1). Conversations 10 (Amel), 11 (Karim), 12 (account 2).
/// - messages 100 (Amel), 101 (agent, in Amel's conversation), 102 (Karim), 103 (agent, Karim's), 104 (account 2).
/// - attachments: Contact 1's avatar, User 1's avatar, message 100's and message 102's files.
/// - cdr: Amel's number written `98123456` and `+21698123456`, Karim's `612345678` (no recording),
///   Karim's only in the caller id text (`"Karim B." <06 12 34 56 78>`), and a longer number that
///   merely contains his digits.
/// - callback requests with the number split in two columns: `216` + `98123456` (Amel), `+33` +
///   `0612345678` (Karim), another number, and Amel's number in account 2.
struct RealSchemaFixture {
    let folder: URL
    var catalogURL: URL { folder.appendingPathComponent("dsar.yaml") }

    static let blobKeys = ["ab12cd34ef", "zz98yy76xx", "qq11ww22ee", "mm33nn44oo", "kk55jj66hh"]

    static let catalog = """
    version: 1
    controller: { name: Atlas Contact SARL, contact: dpo@atlas.example }
    identifiers:
      contact_id: { type: opaque }
      email: { type: email }
      phone: { type: phone, regions: [TN, FR], shared: true }
    stores:
      helpdesk: { type: sqlite, path: helpdesk.sqlite, scope: { account_id: 1 } }
      storage: { type: files, root: storage }
      pbx: { type: sqlite, path: asteriskcdrdb.sqlite }
      spool: { type: files, root: spool }
    collections:
      contacts:
        store: helpdesk
        table: contacts
        key: id
        identifiers: { id: contact_id, email: email, phone_number: phone, "additional_attributes.alternate_phone": phone }
        erase: delete
      users:
        store: helpdesk
        table: users
        key: id
        scope: {}
        identifiers: { email: email }
        erase: retain
        retainReason: staff accounts
      conversations:
        store: helpdesk
        table: conversations
        key: id
        references: { contact_id: contacts.id, assignee_id: users.id }
        erase: delete
      messages:
        store: helpdesk
        table: messages
        key: id
        references:
          conversation_id: conversations.id
          sender_id:
            - { to: contacts.id, when: { sender_type: Contact } }
            - { to: users.id, when: { sender_type: User } }
        erase: delete
      attachments:
        store: helpdesk
        table: active_storage_attachments
        key: id
        scope: {}
        references:
          record_id:
            - { to: contacts.id, when: { record_type: Contact } }
            - { to: users.id, when: { record_type: User } }
            - { to: messages.id, when: { record_type: Message } }
          blob_id: blobs.id
        erase: delete
      blobs:
        store: helpdesk
        table: active_storage_blobs
        key: id
        scope: {}
        files: { store: storage, path: "{key:0:2}/{key:2:4}/{key}" }
        erase: delete
      callbacks:
        store: helpdesk
        table: callback_requests
        key: id
        identifiers: { phone_number: { type: phone, countryCode: phone_code } }
        erase: delete
      cdr:
        store: pbx
        table: cdr
        key: uniqueid
        identifiers: { src: phone, clid: { type: phone, extract: "<([^>]+)>" } }
        files: { store: spool, path: "monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}" }
        erase: delete
    """

    init(folder: URL) throws {
        self.folder = folder
        try Self.catalog.write(to: catalogURL, atomically: true, encoding: .utf8)
        let helpdesk = try DatabaseQueue(path: folder.appendingPathComponent("helpdesk.sqlite").path)
        try helpdesk.write { db in
            try db.execute(sql: """
                CREATE TABLE contacts (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, name TEXT, email TEXT, phone_number TEXT,
                                       additional_attributes TEXT NOT NULL DEFAULT '{}');
                CREATE INDEX contacts_email ON contacts(lower(trim(email)));
                CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
                CREATE TABLE conversations (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, contact_id INTEGER, assignee_id INTEGER);
                CREATE TABLE messages (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, conversation_id INTEGER,
                                       sender_type TEXT, sender_id INTEGER, content TEXT);
                CREATE TABLE active_storage_blobs (id INTEGER PRIMARY KEY, key TEXT NOT NULL, filename TEXT);
                CREATE TABLE active_storage_attachments (id INTEGER PRIMARY KEY, name TEXT, record_type TEXT, record_id INTEGER, blob_id INTEGER);
                CREATE TABLE callback_requests (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, phone_code TEXT, phone_number TEXT);
                INSERT INTO callback_requests VALUES (1, 1, '216', '98123456'), (2, 1, '+33', '0612345678'), (3, 1, '216', '71000000'),
                                                     (4, 2, '216', '98123456');
                INSERT INTO contacts VALUES (1, 1, 'Amel', 'amel@example.tn', '+216 98 123 456', '{"city": "Tunis"}'),
                                            (2, 1, 'Karim', 'karim@example.fr', '06 12 34 56 78',
                                             '{"company_name": "Sfax Textiles", "alternate_phone": "20 111 222"}'),
                                            (3, 2, 'Amel B.', 'Amel@Example.TN', NULL, '{}');
                INSERT INTO users VALUES (1, 'sami@atlas.example', 'Sami');
                INSERT INTO conversations VALUES (10, 1, 1, 1), (11, 1, 2, 1), (12, 2, 3, NULL);
                INSERT INTO messages VALUES (100, 1, 10, 'Contact', 1, 'bonjour'), (101, 1, 10, 'User', 1, 'bienvenue'),
                                            (102, 1, 11, 'Contact', 2, 'salut'), (103, 1, 11, 'User', 1, 'merci'),
                                            (104, 2, 12, 'Contact', 3, 'hello');
                INSERT INTO active_storage_blobs VALUES (1000, 'ab12cd34ef', 'avatar.png'), (1001, 'zz98yy76xx', 'agent.png'),
                                                        (1002, 'qq11ww22ee', 'facture.pdf'), (1003, 'mm33nn44oo', 'photo.jpg'),
                                                        (1004, 'kk55jj66hh', 'other-tenant.pdf');
                INSERT INTO active_storage_attachments VALUES (1, 'avatar', 'Contact', 1, 1000), (2, 'avatar', 'User', 1, 1001),
                                                              (3, 'file', 'Message', 100, 1002), (4, 'file', 'Message', 102, 1003),
                                                              (5, 'file', 'Message', 104, 1004);
                """)
        }
        let pbx = try DatabaseQueue(path: folder.appendingPathComponent("asteriskcdrdb.sqlite").path)
        try pbx.write { db in
            try db.execute(sql: """
                CREATE TABLE cdr (uniqueid TEXT PRIMARY KEY, calldate TEXT NOT NULL, src TEXT, dst TEXT, recordingfile TEXT NOT NULL DEFAULT '',
                                  clid TEXT);
                CREATE INDEX cdr_src ON cdr(src);
                INSERT INTO cdr VALUES ('1773570121.1', '2026-03-15 10:22:01', '98123456', '3000', 'in-3000-98123456-20260315-102201.wav', NULL),
                                       ('1773651600.2', '2026-03-16 09:00:00', '612345678', '3000', '', NULL),
                                       ('1773745200.3', '2026-03-17 11:00:00', '+21698123456', '3001', 'in-3001-21698123456-20260317-110000.wav', NULL),
                                       ('1773745300.4', '2026-03-17 11:05:00', '71000000', '3001', 'in-3001-71000000-20260317-110500.wav', NULL),
                                       ('1773820800.5', '2026-03-18 08:00:00', '+216 20111222', '3000', 'in-3000-20111222-20260318-080000.wav', NULL),
                                       ('1773900000.6', '2026-03-19 09:00:00', '', '3000', '', '"Karim B." <06 12 34 56 78>'),
                                       ('1773900100.7', '2026-03-19 09:01:40', '', '3000', '', '"Other" <06123456780>');
                """)
        }
        for key in Self.blobKeys {
            try Self.write("blob \(key)", to: "storage/\(key.prefix(2))/\(key.dropFirst(2).prefix(2))/\(key)", in: folder)
        }
        try Self.write("RIFF 1", to: "spool/monitor/2026/03/15/in-3000-98123456-20260315-102201.wav", in: folder)
        try Self.write("RIFF 3", to: "spool/monitor/2026/03/17/in-3001-21698123456-20260317-110000.wav", in: folder)
        try Self.write("RIFF 4", to: "spool/monitor/2026/03/17/in-3001-71000000-20260317-110500.wav", in: folder)
        try Self.write("RIFF 5", to: "spool/monitor/2026/03/18/in-3000-20111222-20260318-080000.wav", in: folder)
    }

    private static func write(_ text: String, to path: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every file below the fixture's stores, relative to the fixture folder.
    func files() -> Set<String> {
        var found = Set<String>()
        for root in ["storage", "spool"] {
            let base = folder.appendingPathComponent(root)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                found.insert(root + "/" + url.path.dropFirst(base.path.count + 1))
            }
        }
        return found
    }

    /// Every row of a table, as `column=value` lines, for comparing before and after.
    func rows(_ table: String, in database: String) throws -> [String] {
        let queue = try DatabaseQueue(path: folder.appendingPathComponent(database).path)
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid").map { row in
                row.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
            }
        }
    }
}
