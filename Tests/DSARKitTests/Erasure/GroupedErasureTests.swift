import CallCenterExample
import DSARKit
import DSARKitTesting
import Foundation
import Synchronization
import Testing

/// A grouped batch through the library: each collection's change reaches the store once for the
/// whole group, where one subject at a time reaches it once per subject.
@Suite("Grouped batch erasure")
struct GroupedErasureTests {
    /// A table store that counts the transactions erasure asks of it (and the rows in them).
    final class CountingStore: ErasableStore {
        let inner: any ErasableStore
        let applied = Mutex<[(collection: String, rows: Int)]>([])
        init(_ inner: any ErasableStore) { self.inner = inner }
        var name: String { inner.name }
        func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<DSARKit.Record, any Error> {
            inner.records(in: collection, where: match)
        }
        func records(matching lookups: [StoreLookup]) async throws -> [[DSARKit.Record]] { try await inner.records(matching: lookups) }
        func inspect(_ collection: DataCollection) async throws -> CollectionInspection { try await inner.inspect(collection) }
        func apply(_ changes: RowChanges, to collection: DataCollection) async throws {
            applied.withLock { $0.append((collection.name, changes.deletes.count + changes.updates.count)) }
            try await inner.apply(changes, to: collection)
        }
    }

    private func erase(groupSize: Int) async throws -> (applied: [(collection: String, rows: Int)], outcomes: [BatchOutcome]) {
        let folder = try ExampleData.temporaryFolder()
        let dataSet = try CallCenterDataSet.generate(into: folder, customers: 12)
        let catalog = try Catalog.load(from: dataSet.catalogURL)
        let opened = try StoreSet.open(for: catalog, readOnly: false)
        let crm = CountingStore(opened["crm"] as! any ErasableStore)
        let stores = StoreSet(opened.stores.values.map { $0.name == "crm" ? crm : $0 })
        let ledger = try Ledger(url: folder.appendingPathComponent("ledger.sqlite"))
        try ledger.generateSigningKey()
        let batch = try ErasureBatch(text: (3...10).map { "customer_id:\($0)" }.joined(separator: "\n"), catalog: catalog)
        var outcomes: [BatchOutcome] = []
        try await Erasure(catalog: catalog, stores: stores, ledger: ledger).execute(batch, groupSize: groupSize) { outcomes.append($0) }
        return (crm.applied.withLock { $0 }, outcomes)
    }

    @Test("8 subjects in one group: one store transaction per collection for all of them, the same rows as one subject at a time")
    func oneTransactionPerCollection() async throws {
        let grouped = try await erase(groupSize: 200)
        let single = try await erase(groupSize: 1)
        #expect(grouped.outcomes.map(\.line) == Array(1...8) && grouped.outcomes.allSatisfy { $0.status == "completed" })
        #expect(single.outcomes.allSatisfy { $0.status == "completed" })
        let collections = Set(single.applied.map(\.collection))
        #expect(grouped.applied.count == collections.count, "one transaction per collection: \(grouped.applied.map(\.collection))")
        #expect(single.applied.count > grouped.applied.count, "one subject at a time: one per subject and collection")
        for collection in collections {
            let rows = { (applied: [(collection: String, rows: Int)]) in applied.filter { $0.collection == collection }.map(\.rows).reduce(0, +) }
            #expect(rows(grouped.applied) == rows(single.applied), "\(collection): the same rows changed")
        }
        #expect(grouped.outcomes.map(\.masked) == single.outcomes.map(\.masked))
        #expect(grouped.outcomes.map(\.deleted) == single.outcomes.map(\.deleted))
    }
}
