import Crypto
import Foundation

/// Reads the subject's records of one collection back from its store, by key, a batch at a
/// time, in the order discovery sorted them.
///
/// Discovery may have kept only the columns that link records (see
/// ``Discovery/RecordContents/linkColumns``); the package needs every column, so each pass over
/// a collection reads the records again. A record that vanished, or whose link columns no
/// longer hold what discovery saw (it may now be someone else's), stops the package with
/// ``DSARError/Code/dataChanged``: a package never holds a record discovery did not classify.
struct PackageRecordReader {
    let collection: DataCollection
    let catalog: Catalog
    let store: any DataStore
    let links: Set<String>?
    /// Records asked for per store call.
    var batchSize = 500

    init(collection: DataCollection, catalog: Catalog, stores: StoreSet) throws {
        self.collection = collection
        self.catalog = catalog
        store = try stores.store(for: collection)
        links = catalog.linkColumns(of: collection)
    }

    /// Calls `body` with `found`'s records, in `found`'s order, `batchSize` at a time, each
    /// paired with its full record as the store holds it now.
    func forEachBatch(_ found: ArraySlice<FoundRecord>, _ body: ([(found: FoundRecord, record: Record)]) async throws -> Void) async throws {
        var start = found.startIndex
        while start < found.endIndex {
            let batch = Array(found[start..<min(start + batchSize, found.endIndex)])
            start += batch.count
            try await body(try await read(batch))
        }
    }

    private func read(_ batch: [FoundRecord]) async throws -> [(found: FoundRecord, record: Record)] {
        guard let keyColumns = batch.first?.id.key.columns else { return [] }
        // Read by the key column whose values tell this batch's records apart best (of a
        // composite key, `id` rather than `tenant_id`; of a collection named by all its columns,
        // the most telling one). Each record is looked up by the best of its columns that holds
        // a lookable value: NULL never matches, and blobs are not compared as text by every store.
        func lookable(_ value: Value) -> String? {
            if case .blob = value { return nil }
            return value.textValue
        }
        let distinct = keyColumns.indices.map { index in Set(batch.compactMap { lookable($0.id.key.values[index]) }).count }
        let preference = keyColumns.indices.sorted { (distinct[$0], -$0) > (distinct[$1], -$1) }
        var lookups: [String: Set<String>] = [:]
        for found in batch {
            guard let index = preference.first(where: { lookable(found.id.key.values[$0]) != nil }) else {
                throw DSARError(.unsupported, "a record of the subject has no key value that can be looked up (NULL or binary), " +
                                "so it cannot be read back into the package; give the collection a key the store can match",
                                location: "\(collection.store)/\(found.id.safeName(in: catalog))")
            }
            lookups[keyColumns[index], default: []].insert(lookable(found.id.key.values[index])!)
        }
        let wanted = Set(batch.map(\.id.key))
        var current: [RecordKey: Record] = [:]
        do {
            for (column, values) in lookups.sorted(by: { $0.key < $1.key }) {
                let match = ColumnMatch(column: column, values: values.sorted().map(Value.text))
                for try await record in store.records(in: collection, where: match) {
                    let key = RecordKey(of: record, keyColumns: keyColumns)
                    guard wanted.contains(key) else { continue }
                    if let first = current[key], first != record {
                        throw DSARError(.invalidCatalog, "two rows share the key the catalog declares, so the package cannot tell " +
                                        "which one discovery found; declare a unique key", location: "\(collection.store)/\(collection.name)")
                    }
                    current[key] = record
                }
            }
        } catch let error as DSARError {
            throw error
        } catch {
            throw DSARError(.storeFailure, "the subject's records could not be read again", location: "\(collection.store)/\(collection.name)",
                            cause: error)
        }
        return try batch.map { found in
            guard let record = current[found.id.key] else { throw changed(found, "was removed after it was found") }
            if let links {
                guard record.keeping(links) == found.record.keeping(links) else {
                    throw changed(found, "changed after it was found (a key, identifier or reference column)")
                }
            } else if record != found.record {
                throw changed(found, "changed after it was found")
            }
            return (found, record)
        }
    }

    private func changed(_ found: FoundRecord, _ what: String) -> DSARError {
        DSARError(.dataChanged, "a record of the subject \(what); run the request again",
                  location: "\(collection.store)/\(found.id.safeName(in: catalog))")
    }
}

/// A running digest of the records a pass encodes, so two passes over a collection can prove
/// they saw the same data.
struct RecordsFingerprint: Equatable {
    private var hasher = SHA256()
    private(set) var count = 0

    mutating func add(_ record: Record) {
        record.feed(into: &hasher)
        hasher.update(data: Data([0x1d]))
        count += 1
    }

    var value: String { hasher.finalize().hex }

    static func == (lhs: RecordsFingerprint, rhs: RecordsFingerprint) -> Bool { lhs.value == rhs.value }
}
