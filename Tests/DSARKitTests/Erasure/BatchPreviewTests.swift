import DSARKit
import DSARKitTesting
import Foundation
import Testing

@Suite("Batch preview")
struct BatchPreviewTests {
    private static let tables = ["customers", "agents", "calls", "recordings", "addresses", "orders"]

    @Test("Totals are the sum of each subject's plan; nothing changes; a subject nothing was found for is named by its line")
    func totalsAndNothingChanged() async throws {
        let stores = HouseholdFixture.stores()
        let crm = stores["crm"] as! InMemoryStore
        let folder = try ExampleData.temporaryFolder()
        let ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
        let erasure = Erasure(catalog: HouseholdFixture.catalog, stores: stores, ledger: ledger)
        let text = "subject\nemail:amel.benali@example.tn\n\n# a comment\ncustomer_id:4\nemail:nobody@example.org\nphone:0145678910\n"
        let batch = try ErasureBatch(text: text, catalog: HouseholdFixture.catalog)
        _ = try ledger.maskingKey()  // made on first use by any plan, a dry run's too
        let before = Self.tables.map { crm.rows(of: $0) }
        let ledgerBefore = try Self.files(in: folder)

        var handed: [BatchPreview.SubjectPlan] = []
        let preview = try await erasure.previewBatch(batch) { handed.append($0) }

        var expected: [String: BatchPreview.CollectionTotals] = [:]
        var conflicts: [BatchPreview.Review] = []
        for entry in batch.entries {
            let plan = try await erasure.plan(for: entry.subject)
            for collection in plan.collections where !collection.isEmpty {
                var totals = expected[collection.collection] ?? BatchPreview.CollectionTotals(collection: collection.collection, store: collection.store)
                totals.delete += collection.deleted.count
                totals.mask += collection.masked.count
                totals.hold += collection.held.count
                totals.retain += collection.retained.count
                totals.keepShared += collection.shared.count
                totals.keepReferenced += collection.kept.count
                totals.outOfScope += collection.outOfScope.count
                totals.blocked += collection.blocked.count
                totals.deleteFiles += collection.files.count
                totals.keepFiles += collection.keptFiles.count
                expected[collection.collection] = totals
            }
            conflicts += plan.conflicts.map { BatchPreview.Review(line: entry.line, record: $0) }  // keys that are no personal data
        }
        #expect(preview.subjects == 4 && preview.planned == 4 && preview.failed.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: preview.collections.map { ($0.collection, $0) }) == expected)
        #expect(preview.collections.map(\.collection) == HouseholdFixture.catalog.collections.map(\.name).filter { expected[$0] != nil })
        #expect(preview.collections.first { $0.collection == "addresses" }?.keepShared == 2, "both subjects share it")
        #expect(preview.conflicts == conflicts)
        #expect(!preview.conflicts.isEmpty && !preview.ambiguous.isEmpty)
        #expect(preview.ambiguous.contains { $0.line == 2 && $0.record.hasPrefix("voicemails[file ") }, "a path that holds a number, by digest")
        #expect(preview.nothingFound == [6, 7], "nobody, and the household line: only other people's or shared records")
        #expect(handed.map(\.line) == [2, 5, 6, 7])
        #expect(handed.allSatisfy { $0.subjectDigest.hasPrefix("hmac-sha256:") })
        #expect(Self.tables.map { crm.rows(of: $0) } == before, "no row changed")
        #expect(try await (stores["audio"] as! InMemoryStore).file(at: "calls/call-10.wav") != nil)
        #expect(try ledger.runs(withStatus: .executing).isEmpty)
        let ledgerAfter = try Self.files(in: folder)
        #expect(ledgerAfter.keys.sorted() == ledgerBefore.keys.sorted())
        // The -shm file is SQLite's shared-memory index, rewritten by reads; the database and its WAL hold the ledger.
        for (name, data) in ledgerAfter where !name.hasSuffix("-shm") { #expect(data == ledgerBefore[name], "\(name) changed") }
        let encoded = String(decoding: try JSONEncoder().encode(preview), as: UTF8.self)
        for identifier in ["amel", "nobody", "0145678910", "example"] { #expect(!encoded.lowercased().contains(identifier)) }
    }

    private static func files(in folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}
