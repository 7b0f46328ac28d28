import DSARKit
import DSARKitTesting
import Foundation
import GRDB
import Testing

@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("SQLite store passes the table conformance suite")
    func sqlite() async throws {
        let folder = try ExampleData.temporaryFolder()
        let failures = await TableStoreConformance { fixture in
            let path = try StoreFixtures.sqlite(fixture.rows, in: folder)
            return try SQLiteStore(name: "store", path: path, batchSize: 100)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("In-memory store passes the table conformance suite")
    func memoryTables() async {
        let failures = await TableStoreConformance { fixture in
            StoreFixtures.memory(fixture.table, columns: fixture.columns, rows: fixture.rows)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("Folder store passes the file conformance suite")
    func folder() async throws {
        let folder = try ExampleData.temporaryFolder()
        let failures = await FileStoreConformance { files in
            try StoreFixtures.folder(files, in: folder)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("In-memory store passes the file conformance suite")
    func memoryFiles() async {
        let failures = await FileStoreConformance { files in
            let store = InMemoryStore(name: "files")
            for (path, contents) in files { store.putFile(path, contents: contents) }
            return store
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("Folder store refuses a symbolic link that leads outside its root, and skips it in patterns")
    func symlinkOut() async throws {
        let folder = try ExampleData.temporaryFolder()
        let root = folder.appendingPathComponent("root")
        let outside = folder.appendingPathComponent("secret.wav")
        try Data("secret".utf8).write(to: outside)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("voicemail"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("voicemail/0612345678_1.wav"),
                                                   withDestinationURL: outside)
        let store = try FolderStore(name: "files", root: root)
        await #expect(throws: DSARError.self) { _ = try await store.file(at: "voicemail/0612345678_1.wav") }
        let found = try await store.allRecords(in: FileStoreConformance.collection,
                                               where: ColumnMatch(column: "phone", values: [.text("0612345678")]))
        #expect(found.isEmpty)
    }

    @Test("A missing SQLite file is an error, never a new empty database")
    func missingDatabase() throws {
        let path = try ExampleData.temporaryFolder().appendingPathComponent("missing.sqlite").path
        #expect(throws: DSARError.self) { try SQLiteStore(name: "crm", path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

/// The fixtures of the conformance suites, created in each kind of store.
enum StoreFixtures {
    /// A SQLite file holding the `people` fixture table; text with NUL is stored whole (bytes
    /// cast to text), as other programs may store it.
    static func sqlite(_ rows: [[Value]], in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("fixture-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, note TEXT)")
            for row in rows {
                let placeholders = row.map { $0.hasNUL ? "CAST(? AS TEXT)" : "?" }.joined(separator: ", ")
                try db.execute(sql: "INSERT INTO people VALUES (\(placeholders))", arguments: StatementArguments(row.map(\.sqlArgument)))
            }
        }
        try queue.close()
        return path
    }

    static func memory(_ table: String, columns: [String], rows: [[Value]]) -> InMemoryStore {
        let store = InMemoryStore(name: "store")
        store.createTable(table, columns: columns, rows: rows)
        return store
    }

    /// A folder store over `files` written below `folder`.
    static func folder(_ files: [String: Data], in folder: URL) throws -> FolderStore {
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url)
        }
        return try FolderStore(name: "files", root: folder)
    }
}

extension Value {
    var sqlArgument: (any DatabaseValueConvertible)? {
        switch self {
        case .null: nil
        case .integer(let int): int
        case .real(let double): double
        case .text(let text): hasNUL ? Data(text.utf8) : text
        case .blob(let data): data
        }
    }

    var hasNUL: Bool {
        if case .text(let text) = self { text.utf8.contains(0) } else { false }
    }
}

@Suite("Erasable store conformance")
struct ErasableStoreConformanceTests {
    @Test("SQLite store passes the erasable store suite")
    func sqlite() async throws {
        let folder = try ExampleData.temporaryFolder()
        let failures = await ErasableStoreConformance { fixture in
            let path = try StoreFixtures.sqlite(fixture.rows, in: folder)
            return try SQLiteStore(name: "store", path: path, readOnly: false)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("In-memory store passes the erasable store suite")
    func memory() async {
        let failures = await ErasableStoreConformance { fixture in
            StoreFixtures.memory(fixture.table, columns: fixture.columns, rows: fixture.rows)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("Folder and in-memory stores pass the erasable file store suite")
    func files() async throws {
        let folder = try ExampleData.temporaryFolder()
        let failures = await ErasableFileStoreConformance { files in
            try StoreFixtures.folder(files, in: folder)
        }.run()
        #expect(failures.isEmpty, "\(failures)")
        let memory = await ErasableFileStoreConformance { files in
            let store = InMemoryStore(name: "files")
            for (path, contents) in files { store.putFile(path, contents: contents) }
            return store
        }.run()
        #expect(memory.isEmpty, "\(memory)")
    }

    @Test("A read-only SQLite store refuses to change anything, with a clear error")
    func readOnly() async throws {
        let path = ExampleData.dataSet.databaseURL.path
        let store = try SQLiteStore(name: "crm", path: path)
        let collection = DataCollection(name: "customers", store: "crm", table: "customers", key: ["id"])
        await #expect(throws: DSARError.self) {
            try await store.apply(RowChanges(keyColumns: ["id"], deletes: [[.integer(1)]]), to: collection)
        }
    }
}
