import CallCenterExample
import DSARKit
import Foundation
import GRDB
import Testing

/// Recordings that are missing or cannot be read: the rows pointing at them are the only way
/// to find them, so erasure keeps those rows and never signs "complete".
@Suite("Missing and unreadable linked files")
struct LinkedFileTests {
    struct Fixture {
        let catalog: Catalog
        let dataSet: CallCenterDataSet
        let ledger: Ledger

        init(_ name: String = #function) throws {
            let folder = try ExampleData.temporaryFolder(name)
            dataSet = try CallCenterDataSet.generate(into: folder, customers: 6)
            catalog = try Catalog.load(from: dataSet.catalogURL)
            ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
            try ledger.generateSigningKey()
        }

        var recordings: URL { dataSet.catalogURL.deletingLastPathComponent().appendingPathComponent("data/recordings") }

        func erasure() throws -> Erasure {
            Erasure(catalog: catalog, stores: try StoreSet.open(for: catalog, readOnly: false), ledger: ledger)
        }

        func path(ofRecording id: Int) throws -> String {
            try DatabaseQueue(path: dataSet.databaseURL.path).read { db in
                try #require(try String.fetchOne(db, sql: "SELECT path FROM recordings WHERE id = ?", arguments: [id]))
            }
        }

        func recordingIDs() throws -> [Int] {
            try DatabaseQueue(path: dataSet.databaseURL.path).read { db in
                try Int.fetchAll(db, sql: "SELECT id FROM recordings WHERE id IN (1, 2, 3, 4) ORDER BY id")
            }
        }

        func customerCount() throws -> Int {
            try DatabaseQueue(path: dataSet.databaseURL.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers")! }
        }

        /// Replaces the file at `path` by a symbolic link to itself: nobody, not even root, can read it.
        func makeUnreadable(_ path: String) throws {
            let url = recordings.appendingPathComponent(path)
            try FileManager.default.removeItem(at: url)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: url.lastPathComponent)
        }

        var subject: DataSubject { get throws { try DataSubject(parsing: ["customer_id:1"], catalog: catalog) } }
    }

    @Test("A row whose recording is missing is kept, and the erasure is incomplete, naming the record")
    func missingFile() async throws {
        let fixture = try Fixture()
        try FileManager.default.removeItem(at: fixture.recordings.appendingPathComponent(try fixture.path(ofRecording: 1)))
        let outcome = try await fixture.erasure().execute(try fixture.subject)
        #expect(!outcome.isComplete)
        #expect(outcome.certificate.verification == "incomplete")
        #expect(outcome.residue.contains { $0.contains("recordings[id=1]") }, "\(outcome.residue)")
        #expect(try fixture.recordingIDs() == [1, 2], "the row of the missing file stays, the held one too; 3 and 4 are erased")
    }

    @Test("A recording that cannot be read is a discovery problem; its row is kept and the erasure is incomplete")
    func unreadableFile() async throws {
        let fixture = try Fixture()
        let path = try fixture.path(ofRecording: 3)
        try fixture.makeUnreadable(path)
        let stores = try StoreSet.open(for: fixture.catalog)
        let result = try await Discovery(catalog: fixture.catalog, stores: stores).discover(try fixture.subject)
        let problem = try #require(result.problems.first { $0.record.description == "recordings[id=3]" })
        #expect(problem.message.contains("cannot be read"), "\(problem.message)")
        #expect(!problem.message.contains(path))

        let outcome = try await fixture.erasure().execute(try fixture.subject)
        #expect(!outcome.isComplete)
        #expect(outcome.certificate.verification == "incomplete")
        #expect(outcome.residue.contains { $0.contains("recordings[id=3]") }, "\(outcome.residue)")
        #expect(try fixture.recordingIDs() == [2, 3])
    }

    @Test("A pattern folder that cannot be read stops discovery and erasure before anything is touched")
    func unreadableFolder() async throws {
        let fixture = try Fixture()
        let folder = fixture.recordings.appendingPathComponent("voicemail/archive")
        try FileManager.default.createSymbolicLink(atPath: folder.path, withDestinationPath: "archive")
        let stores = try StoreSet.open(for: fixture.catalog)
        await #expect(throws: DSARError.self) {
            _ = try await Discovery(catalog: fixture.catalog, stores: stores).discover(try fixture.subject)
        }
        let customers = try fixture.customerCount()
        await #expect(throws: DSARError.self) { _ = try await fixture.erasure().execute(try fixture.subject) }
        #expect(try fixture.customerCount() == customers)
        #expect(try fixture.recordingIDs() == [1, 2, 3, 4])

        let problems = await CatalogCheck(catalog: fixture.catalog).run()
        #expect(problems.contains { $0.severity == .error && $0.place.hasPrefix("recordings/") && $0.message.contains("cannot be read") },
                "\(problems)")
    }
}
