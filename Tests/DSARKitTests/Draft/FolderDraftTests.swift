import DSARKit
import Foundation
import GRDB
import Testing

@Suite("Drafting folder stores: file links and file-name patterns")
struct FolderDraftTests {
    static let phones = ["0612345678", "+21698123456", "98123456", "22345678", "0698765432"]

    /// A SQLite database and a folder of recordings: `calls.recording` holds paths of the folder,
    /// `cdr.recordingfile` file names under `monitor/YYYY/MM/DD/`, and `voicemail/` and
    /// `messages/` hold files named by the caller's number, outside any table.
    static func fixture() throws -> (folder: URL, database: String, root: URL) {
        let folder = try ExampleData.temporaryFolder()
        let root = folder.appendingPathComponent("spool")
        let files = [
            "rec/c1.wav", "rec/c2.wav",
            "monitor/2026/03/02/in-\(phones[2])-20260302-091504.wav", "monitor/2026/03/05/out-\(phones[0])-20260305-140010.wav",
            "voicemail/\(phones[0])-20260301.wav", "voicemail/\(phones[1])-20260302.wav", "voicemail/\(phones[3])-20260303.wav",
            "messages/amel-\(phones[4]).wav", "readme.txt",
        ]
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        let database = folder.appendingPathComponent("pbx.sqlite").path
        let queue = try DatabaseQueue(path: database)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE calls (id INTEGER PRIMARY KEY, recording TEXT);
                INSERT INTO calls VALUES (1, 'rec/c1.wav'), (2, 'rec/c2.wav'), (3, '');
                CREATE TABLE cdr (uniqueid TEXT PRIMARY KEY, calldate TEXT, recordingfile TEXT);
                INSERT INTO cdr VALUES ('1.1', '2026-03-02 09:15:04', 'in-\(phones[2])-20260302-091504.wav'),
                                       ('1.2', '2026-03-05 14:00:10', 'out-\(phones[0])-20260305-140010.wav'), ('1.3', '2026-03-06 10:00:00', '');
                """)
        }
        return (folder, database, root)
    }

    static func draft(_ fixture: (folder: URL, database: String, root: URL)) async throws -> CatalogDraft {
        try await CatalogDraft.read(
            [(CatalogDraft.Store(name: "pbx", type: "sqlite", location: "pbx.sqlite"), try SQLiteStore(name: "pbx", path: fixture.database))],
            folders: [(CatalogDraft.Store(name: "spool", type: "files", location: "spool"), try FolderStore(name: "spool", root: fixture.root))],
            regions: ["FR", "TN"])
    }

    @Test("a column of paths becomes files: { column, store }; file names under dated folders a guessed path template")
    func fileLinks() async throws {
        let fixture = try Self.fixture()
        let yaml = try await Self.draft(fixture).yaml
        #expect(yaml.contains("  spool: { type: files, root: \"spool\" }"), "\(yaml)")
        #expect(yaml.contains("    files: { store: spool, column: recording }  # 2 of 2 sampled values are files of store spool"))
        #expect(yaml.contains("""
                files: { store: spool, path: "monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}" }  # guess: 2 of 2 sampled values \
            are file names under monitor/YYYY/MM/DD/ of store spool; the date is read from calldate
            """))
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        #expect(catalog.collection(named: "cdr")?.files?.template?.text == "monitor/{calldate:yyyy}/{calldate:MM}/{calldate:dd}/{recordingfile}")
        #expect(catalog.collection(named: "calls")?.files?.column == "recording")
    }

    @Test("file names holding phone numbers become pattern collections; linked folders and single numbers' names are not written")
    func patterns() async throws {
        let fixture = try Self.fixture()
        let draft = try await Self.draft(fixture)
        let yaml = draft.yaml
        let catalog = try Catalog.parse(yaml: yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        let patterns = Set(catalog.collections.compactMap { collection in
            collection.pattern.map { "\(collection.name): \($0.text) \(collection.identifiers.map { "\($0.column)=\($0.type)" })" }
        })
        #expect(patterns == ["spool_voicemail: voicemail/{phone}-{date}.wav [\"phone=phone\"]",
                             "spool_messages: messages/{text1}-{phone}.wav [\"phone=phone\"]"], "\(yaml)")
        #expect(yaml.contains("phone: phone  # the name of each of 3 files holds a phone number (FR, TN) here"))
        let json = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        let leaked = (Self.phones + ["amel"]).filter { yaml.contains($0) || json.contains($0) }
        #expect(leaked.isEmpty, "\(leaked.count) values from file names reached the output")
    }

    @Test("coverage lists files named by phone numbers that no collection covers, by shape, never a number")
    func folderCoverage() async throws {
        let fixture = try Self.fixture()
        let catalog = try Catalog.parse(yaml: try await Self.draft(fixture).yaml, sourceName: "draft.yaml", baseDirectory: fixture.folder)
        let sources = [try SQLiteStore(name: "pbx", path: fixture.database)]
        let folder = try FolderStore(name: "spool", root: fixture.root)
        #expect(try await CoverageCheck(catalog: catalog).run(sources: sources, folders: [folder]).unmappedFiles.isEmpty)

        for file in ["callbacks/\(Self.phones[0])-20260310.wav", "callbacks/\(Self.phones[2])-20260311.wav"] {
            let url = fixture.root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        let report = try await CoverageCheck(catalog: catalog).run(sources: sources, folders: [folder])
        #expect(report.unmappedFiles.map { "\($0.store)/\($0.pattern)" } == ["spool/callbacks/{phone}-{date}.wav"])
        #expect(report.hasUnmappedIdentifiers)
        let output = report.lines.joined(separator: "\n") + String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(output.contains("spool/callbacks/{phone}-{date}.wav: files whose names hold phone numbers, which no collection covers"))
        #expect(Self.phones.allSatisfy { !output.contains($0) })
    }
}
