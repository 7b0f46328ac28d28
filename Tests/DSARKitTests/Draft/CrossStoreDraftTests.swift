import DSARKit
import Foundation
import GRDB
import Testing

/// Two SQLite stores and a folder: `telephony.calls.customer_id` holds keys of `crm.customers`,
/// and files under `spool/` carry the keys of calls and customers in their names.
@Suite("Drafting references across stores and keys inside file names")
struct CrossStoreDraftTests {
    static let emails = ["amel.benali@example.tn", "kim.roy@example.fr", "jo.ng@example.fr"]
    static let phones = ["0612345678", "0698765432", "0711223344"]

    struct Fixture {
        let folder: URL
        let crm: String
        let telephony: String
        let root: URL

        func draft(folders: Bool = true, sampleSize: Int = 1000) async throws -> CatalogDraft {
            try await CatalogDraft.read(
                [(CatalogDraft.Store(name: "crm", type: "sqlite", location: "crm.sqlite"), try SQLiteStore(name: "crm", path: crm)),
                 (CatalogDraft.Store(name: "telephony", type: "sqlite", location: "telephony.sqlite"), try SQLiteStore(name: "telephony", path: telephony))],
                folders: folders ? [(CatalogDraft.Store(name: "spool", type: "files", location: "spool"), try FolderStore(name: "spool", root: root))] : [],
                regions: ["FR"], sampleSize: sampleSize)
        }
    }

    static func fixture(files: [String] = defaultFiles) throws -> Fixture {
        let folder = try ExampleData.temporaryFolder()
        let crm = folder.appendingPathComponent("crm.sqlite").path
        try DatabaseQueue(path: crm).write { db in
            try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT)")
            for (index, email) in emails.enumerated() { try db.execute(sql: "INSERT INTO customers VALUES (?, ?)", arguments: [index + 1, email]) }
        }
        let telephony = folder.appendingPathComponent("telephony.sqlite").path
        try DatabaseQueue(path: telephony).write { db in
            try db.execute(sql: "CREATE TABLE calls (id INTEGER PRIMARY KEY, customer_id INTEGER, caller_number TEXT)")
            for id in 1...5 {
                try db.execute(sql: "INSERT INTO calls VALUES (?, ?, ?)", arguments: [id, (id - 1) % 3 + 1, phones[(id - 1) % 3]])
            }
        }
        let root = folder.appendingPathComponent("spool")
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return Fixture(folder: folder, crm: crm, telephony: telephony, root: root)
    }

    /// `calls/{call id}.wav` (telephony keys), `callbacks/customer-{customer id}-{n}.mp3` (crm keys,
    /// the folder naming the table), `misc/{n}.bin` (numbers both tables' keys hold, nothing named).
    static let defaultFiles = (1...5).map { "calls/\($0).wav" }
        + ["callbacks/customer-1-1.mp3", "callbacks/customer-2-1.mp3", "callbacks/customer-3-2.mp3", "misc/1.bin", "misc/2.bin", "readme.txt"]

    /// Every collection's YAML entry lines up to its TODO texts.
    static func entry(_ name: String, in yaml: String) -> [String] {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "  \(name):") else { return [] }
        return Array(lines[start...].prefix { !$0.hasPrefix("    purpose: ") })
    }

    @Test("a key of another store's table becomes a guessed reference in the catalog's form; the draft reads back")
    func crossStoreReference() async throws {
        let fixture = try Self.fixture()
        let draft = try await fixture.draft(folders: false)
        let yaml = draft.yaml
        #expect(Self.entry("calls", in: yaml) == [
            "  calls:", "    store: telephony", "    table: calls", "    key: id",
            "    identifiers:", "      caller_number: phone  # 100% of 5 sampled values parse as phone numbers (FR)",
            "    references:", "      customer_id: customers.id  # guess: all 5 sampled values found in customers.id of store crm",
        ], "\(yaml)")
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        let reference = try #require(catalog.collection(named: "calls")?.references.first)
        #expect("\(reference.column)→\(reference.targetCollection).\(reference.targetColumn)" == "customer_id→customers.id")
        #expect(catalog.collection(named: "customers")?.store == "crm")
        #expect(catalog.collection(named: "customers")?.identifiers.map { "\($0.column)=\($0.type)" } == ["id=customer_id", "email=email"])
        let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        #expect((Self.emails + Self.phones).allSatisfy { !yaml.contains($0) && !json.contains($0) })
    }

    @Test("no reference when a value is missing from the other store's key, or when two stores' keys hold them all")
    func crossStoreRefusals() async throws {
        let fixture = try Self.fixture()
        try await DatabaseQueue(path: fixture.telephony).write { db in try db.execute(sql: "UPDATE calls SET customer_id = 9 WHERE id = 1") }
        #expect(try await fixture.draft(folders: false).collections.first { $0.name == "calls" }?.references.isEmpty == true)

        let other = try Self.fixture()
        let billing = other.folder.appendingPathComponent("billing.sqlite").path
        try await DatabaseQueue(path: billing).write { db in
            try db.execute(sql: "CREATE TABLE customers (id INTEGER PRIMARY KEY, plan TEXT); INSERT INTO customers VALUES (1, 'a'), (2, 'b'), (3, 'c')")
        }
        let draft = try await CatalogDraft.read(
            [(CatalogDraft.Store(name: "crm", type: "sqlite", location: "crm.sqlite"), try SQLiteStore(name: "crm", path: other.crm)),
             (CatalogDraft.Store(name: "telephony", type: "sqlite", location: "telephony.sqlite"), try SQLiteStore(name: "telephony", path: other.telephony)),
             (CatalogDraft.Store(name: "billing", type: "sqlite", location: "billing.sqlite"), try SQLiteStore(name: "billing", path: billing))],
            regions: ["FR"])
        let calls = try #require(draft.collections.first { $0.name == "calls" })
        #expect(calls.references.isEmpty)
        #expect(calls.notes == ["every sampled value of customer_id is found in customers.id of store crm and customers.id of store billing: "
                                + "write its reference by hand"])
    }

    @Test("file names carrying a table's keys become pattern collections referencing it; ambiguous ones a review note")
    func keysInFileNames() async throws {
        let fixture = try Self.fixture()
        let draft = try await fixture.draft()
        let yaml = draft.yaml
        #expect(Self.entry("spool_calls", in: yaml) == [
            "  spool_calls:", "    store: spool", "    pattern: \"calls/{call_id}.wav\"",
            "    references:", "      call_id: calls.id  # guess: 5 of 5 sampled file names hold a key of calls.id (store telephony); the path names calls",
        ], "\(yaml)")
        #expect(Self.entry("spool_callbacks", in: yaml) == [
            "  spool_callbacks:", "    store: spool", "    pattern: \"callbacks/customer-{customer_id}-{n2}.mp3\"",
            "    references:",
            "      customer_id: customers.id  # guess: 3 of 3 sampled file names hold a key of customers.id (store crm); the path names customers",
        ])
        #expect(Self.entry("spool_misc", in: yaml) == [
            "  spool_misc:", "    store: spool", "    pattern: \"misc/{n1}.bin\"",
            "    # review: the numbers in these file names are keys of several tables: {n1} → calls.id (store telephony), "
                + "{n1} → customers.id (store crm); name the placeholder and write its reference by hand",
        ])
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        #expect(catalog.collection(named: "spool_calls")?.references.map { "\($0.column)→\($0.targetCollection).\($0.targetColumn)" } == ["call_id→calls.id"])
        #expect(catalog.collection(named: "spool_callbacks")?.pattern?.match("callbacks/customer-2-1.mp3")?["customer_id"] == "2")
        #expect(!catalog.collections.contains { $0.pattern?.text.contains("readme") == true })
    }

    @Test("the drafted catalog finds a customer's files through the keys in their names")
    func draftedCatalogFindsFiles() async throws {
        let fixture = try Self.fixture()
        let catalog = try Catalog.parse(yaml: try await fixture.draft().yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        let result = try await Discovery(catalog: catalog, stores: try StoreSet.open(for: catalog))
            .discover(try DataSubject(parsing: ["email:\(Self.emails[1])"], catalog: catalog))
        let paths = Set(result.records.filter { $0.id.collection.hasPrefix("spool_") }.compactMap { $0.record["path"]?.textValue })
        #expect(paths == ["calls/2.wav", "calls/5.wav", "callbacks/customer-2-1.mp3"], "\(result.records.map(\.id.collection))")
    }

    @Test("a file name holding one key only keeps none of its text")
    func singleKeyRedacted() async throws {
        let fixture = try Self.fixture(files: ["notes/amel-2.txt"])
        let yaml = try await fixture.draft().yaml
        #expect(yaml.contains("    pattern: \"notes/{text1}-{n1}.txt\""), "\(yaml)")
        #expect(!yaml.contains("amel"))
    }

    @Test("files of the shape a column links are neither drafted again nor reported, in folders its sample did not show")
    func linkedShapeCovered() async throws {
        let files = (1...4).map { "rec/2026/0\($0)/call-\($0).wav" }
        let fixture = try Self.fixture(files: files)
        try await DatabaseQueue(path: fixture.telephony).write { db in
            try db.execute(sql: "CREATE TABLE recordings (id INTEGER PRIMARY KEY, call_id INTEGER REFERENCES calls(id), path TEXT)")
            for (index, file) in files.enumerated() { try db.execute(sql: "INSERT INTO recordings VALUES (?, ?, ?)", arguments: [index + 1, index + 1, file]) }
        }
        let draft = try await fixture.draft(sampleSize: 2)
        #expect(draft.collections.first { $0.name == "recordings" }?.files?.column == "path")
        #expect(draft.collections.allSatisfy { $0.pattern == nil }, "\(draft.yaml)")
        let catalog = try Catalog.parse(yaml: draft.yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        let report = try await CoverageCheck(catalog: catalog, sampleSize: 2).run(
            sources: [try SQLiteStore(name: "crm", path: fixture.crm), try SQLiteStore(name: "telephony", path: fixture.telephony)],
            folders: [try FolderStore(name: "spool", root: fixture.root)])
        #expect(report.unmappedFiles.isEmpty)
    }
}
