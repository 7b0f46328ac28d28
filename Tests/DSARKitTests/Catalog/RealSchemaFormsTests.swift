import DSARKit
import Foundation
import Testing

/// The catalog forms real schemas need — polymorphic references, tenant scope, file paths
/// built from columns, several phone regions — proven on a helpdesk in Chatwoot's shape and an
/// Asterisk `cdr` table (``RealSchemaFixture``), through discovery and erasure.
@Suite("Real schema forms")
struct RealSchemaFormsTests {
    private func open() throws -> (RealSchemaFixture, Catalog) {
        let fixture = try RealSchemaFixture(folder: try ExampleData.temporaryFolder())
        return (fixture, try Catalog.load(from: fixture.catalogURL))
    }

    private func items(_ result: DiscoveryResult) -> Set<String> {
        Set(result.records.map { "\($0.id.collection)[\($0.id.key)]" })
    }

    @Test("Amel: her tenant's rows only, polymorphic links followed by type, blobs and recordings by built paths")
    func discoverAmel() async throws {
        let (fixture, catalog) = try open()
        let stores = try StoreSet.open(for: catalog)
        let subject = try DataSubject(parsing: ["email:amel@example.tn"], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: stores).discover(subject)
        #expect(items(result) == [
            "contacts[id=1]", "conversations[id=10]", "messages[id=100]", "messages[id=101]",
            "attachments[id=1]", "attachments[id=3]", "blobs[id=1000]", "blobs[id=1002]",
            "cdr[uniqueid=1773570121.1]", "cdr[uniqueid=1773745200.3]", "callbacks[id=1]",
        ])
        #expect(Set(result.files.map { "\($0.store)/\($0.path)" }) == [
            "storage/ab/12/ab12cd34ef", "storage/qq/11/qq11ww22ee",
            "spool/monitor/2026/03/15/in-3000-98123456-20260315-102201.wav",
            "spool/monitor/2026/03/17/in-3001-21698123456-20260317-110000.wav",
        ])
        #expect(result.problems.isEmpty)
        #expect(!result.conflicts.contains { $0.id.collection == "contacts" }, "account 2's contact is never even read")
        _ = fixture
    }

    @Test("Karim: a French number without its trunk 0, a second one inside JSON, one inside caller-id text; an unrecorded call has no file",
          arguments: [Masked("email:karim@example.fr", "by email"), Masked("phone:+216 20 111 222", "by phone")])
    func discoverKarim(seed: Masked) async throws {
        let (_, catalog) = try open()
        let subject = try DataSubject(parsing: [seed.value], catalog: catalog)
        let result = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog)).discover(subject)
        #expect(items(result) == [
            "contacts[id=2]", "conversations[id=11]", "messages[id=102]", "messages[id=103]",
            "attachments[id=4]", "blobs[id=1003]", "cdr[uniqueid=1773651600.2]", "cdr[uniqueid=1773820800.5]", "callbacks[id=2]",
            "cdr[uniqueid=1773900000.6]",
        ])
        #expect(Set(result.files.map(\.path)) == ["mm/33/mm33nn44oo", "monitor/2026/03/18/in-3000-20111222-20260318-080000.wav"])
        #expect(result.problems.isEmpty)
    }

    @Test("Erasing Amel deletes her rows and files and nothing else: the agent's avatar, the other tenant, Karim stay")
    func eraseAmel() async throws {
        let (fixture, catalog) = try open()
        let before = (
            contacts: try fixture.rows("contacts", in: "helpdesk.sqlite"),
            messages: try fixture.rows("messages", in: "helpdesk.sqlite"),
            attachments: try fixture.rows("active_storage_attachments", in: "helpdesk.sqlite"),
            blobs: try fixture.rows("active_storage_blobs", in: "helpdesk.sqlite"),
            cdr: try fixture.rows("cdr", in: "asteriskcdrdb.sqlite"),
            callbacks: try fixture.rows("callback_requests", in: "helpdesk.sqlite"),
            files: fixture.files())
        let ledger = try Ledger(url: fixture.folder.appendingPathComponent(".dsar/ledger.sqlite"))
        try ledger.generateSigningKey()
        let stores = try StoreSet.open(for: catalog, readOnly: false)
        let erasure = Erasure(catalog: catalog, stores: stores, ledger: ledger)
        let outcome = try await erasure.execute(try DataSubject(parsing: ["email:amel@example.tn"], catalog: catalog))
        #expect(outcome.isComplete)
        #expect(try fixture.rows("contacts", in: "helpdesk.sqlite") == before.contacts.filter { !$0.hasPrefix("id=1,") })
        #expect(try fixture.rows("messages", in: "helpdesk.sqlite") == before.messages.filter { !$0.hasPrefix("id=100,") && !$0.hasPrefix("id=101,") })
        #expect(try fixture.rows("active_storage_attachments", in: "helpdesk.sqlite")
                == before.attachments.filter { !$0.hasPrefix("id=1,") && !$0.hasPrefix("id=3,") })
        #expect(try fixture.rows("active_storage_blobs", in: "helpdesk.sqlite")
                == before.blobs.filter { !$0.hasPrefix("id=1000,") && !$0.hasPrefix("id=1002,") })
        #expect(try fixture.rows("cdr", in: "asteriskcdrdb.sqlite") == before.cdr.filter { !$0.contains("98123456") })
        #expect(try fixture.rows("callback_requests", in: "helpdesk.sqlite") == before.callbacks.filter { !$0.hasPrefix("id=1,") },
                "the same number in account 2 stays")
        #expect(fixture.files() == before.files.subtracting([
            "storage/ab/12/ab12cd34ef", "storage/qq/11/qq11ww22ee",
            "spool/monitor/2026/03/15/in-3000-98123456-20260315-102201.wav",
            "spool/monitor/2026/03/17/in-3001-21698123456-20260317-110000.wav",
        ]))
    }

    @Test("dsar check advises once per polymorphic column, indexes the file name of a built path, and knows blobs are reached as parents")
    func checkAdvice() async throws {
        let (_, catalog) = try open()
        let problems = await CatalogCheck(catalog: catalog).run().map(\.description)
        #expect(problems.filter { $0.contains("reference column 'record_id'") }.count == 1, "\(problems)")
        #expect(problems.filter { $0.contains("reference column 'sender_id'") }.count == 1, "\(problems)")
        #expect(problems.contains { $0.contains("file column 'recordingfile'") && $0.contains(#"ON "cdr" ("recordingfile")"#) }, "\(problems)")
        #expect(problems.contains { $0.contains(#"ON "active_storage_blobs" ("key")"#) }, "\(problems)")
        #expect(!problems.contains { $0.contains("'blobs' has no identifiers and no references") }, "\(problems)")
        #expect(!problems.contains { $0.contains("file column 'calldate'") }, "\(problems)")
    }

    @Test("The catalog's new forms are read as written")
    func parsing() throws {
        let (_, catalog) = try open()
        let messages = try #require(catalog.collection(named: "messages"))
        #expect(messages.references.filter { $0.column == "sender_id" }.map(\.targetCollection) == ["contacts", "users"])
        #expect(messages.references.first { $0.targetCollection == "users" }?.conditions
                == [ColumnCondition(column: "sender_type", values: ["User"])])
        #expect(messages.scope == [ColumnCondition(column: "account_id", values: ["1"])], "inherited from the store")
        #expect(catalog.collection(named: "attachments")?.scope == [], "scope: {} opts out")
        #expect(catalog.identifierType(named: "phone")?.regions == ["TN", "FR"])
        let cdr = try #require(catalog.collection(named: "cdr"))
        #expect(cdr.files?.columns == ["calldate", "recordingfile"])
        #expect(catalog.linkColumns(of: messages)?.isSuperset(of: ["sender_type", "account_id"]) == true)
    }

    @Test("Mistakes in the new forms are errors naming their line", arguments: [
        ("references: { record_id: { when: { record_type: Contact } } }", "has no 'to'"),
        ("references: { record_id: { to: contacts.id, when: {} } }", "must map columns"),
        ("references: { record_id: { to: contacts, when: { t: C } } }", "must be 'collection.column'"),
        ("files: { store: spool, path: \"monitor/{calldate:yyyy}/{calldate:QQ}/{file}\" }", "a format is made of"),
        ("files: { store: spool, path: \"{key:2:1}\" }", "a slice is"),
        ("files: { store: spool, path: \"/abs/{file}\" }", "relative to the store root"),
        ("files: { column: url, store: spool, hosts: { 10.0.0.5: spool } }", "both a store and hosts"),
    ])
    func parsingErrors(line: String, message: String) throws {
        let yaml = """
        version: 1
        controller: { name: A, contact: dpo@a.example }
        identifiers: { phone: { type: phone, region: FR } }
        stores: { db: { type: sqlite, path: db.sqlite }, spool: { type: files, root: spool } }
        collections:
          contacts: { store: db, table: contacts, key: id, identifiers: { phone: phone }, erase: delete }
          items:
            store: db
            table: items
            key: id
            \(line)
            erase: delete
        """
        let error = try #require(throws: CatalogError.self) {
            try Catalog.parse(yaml: yaml, sourceName: "dsar.yaml", baseDirectory: URL(fileURLWithPath: "/tmp"))
        }
        let text = error.problems.map(\.description).joined(separator: "\n")
        #expect(text.contains(message), "\(text)")
        #expect(text.contains("dsar.yaml:10") || text.contains("dsar.yaml:11"), "\(text)")
    }
}

@Suite("File links")
struct FileLinkTests {
    private func record(_ pairs: KeyValuePairs<String, Value>) -> Record { Record(pairs) }

    @Test("Dates and slices build the path; timestamps are read as written, with or without T and zone")
    func template() throws {
        let asterisk = try FilePathTemplate("monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}")
        #expect(asterisk.path(for: record(["calldate": .text("2026-03-05 23:59:59"), "recordingfile": .text("a.wav")]))
                == "monitor/2026/03/05/a.wav")
        #expect(asterisk.path(for: record(["calldate": .text("2026-03-05T23:59:59.5+01:00"), "recordingfile": .text("a.wav")]))
                == "monitor/2026/03/05/a.wav")
        #expect(asterisk.path(for: record(["calldate": .text("2026-03-05 10:00:00"), "recordingfile": .text("")])) == nil,
                "an empty column means no file")
        #expect(asterisk.path(for: record(["calldate": .text("5 March"), "recordingfile": .text("a.wav")])) == nil)
        let stamp = try FilePathTemplate("{at:yyyyMMdd-HHmmss}.wav")
        #expect(stamp.path(for: record(["at": .text("2026-03-05 07:08:09")])) == "20260305-070809.wav")
        let rails = try FilePathTemplate("{key:0:2}/{key:2:4}/{key}")
        #expect(rails.path(for: record(["key": .text("ab12cd34")])) == "ab/12/ab12cd34")
        #expect(rails.path(for: record(["key": .text("a")])) == nil)
    }

    @Test("A URL column maps to a store by host, with a prefix stripped; other hosts are reported, not guessed")
    func urls() {
        let link = FileLink(column: "url", store: "pbx1", strip: "/RECORDINGS/MP3/", hosts: ["10.0.0.5": "pbx1", "10.0.0.6": "pbx2"])
        #expect(link.location(for: record(["url": .text("http://10.0.0.6/RECORDINGS/MP3/out-1.mp3")]))
                == .file(store: "pbx2", path: "out-1.mp3"))
        #expect(link.location(for: record(["url": .text("http://10.0.0.5/RECORDINGS/MP3/a%20b.mp3")]))
                == .file(store: "pbx1", path: "a b.mp3"))
        guard case .unresolved = link.location(for: record(["url": .text("http://10.9.9.9/RECORDINGS/MP3/x.mp3")])) else {
            Issue.record("an unknown host must be reported")
            return
        }
        #expect(link.location(for: record(["url": .null])) == FileLink.Location.none)
        let single = FileLink(column: "url", store: "pbx", strip: "http://10.0.0.5/RECORDINGS/")
        #expect(single.location(for: record(["url": .text("http://10.0.0.5/RECORDINGS/2026/x.wav")])) == .file(store: "pbx", path: "2026/x.wav"))
    }
}
