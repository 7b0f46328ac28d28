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
        // Read by the first key column, or, for a collection named by all its columns, by its
        // first column that holds a value in each record (NULL never matches; blobs are not
        // compared as text by every store).
        var lookups: [String: Set<String>] = [:]
        for found in batch {
            guard let index = found.id.key.values.firstIndex(where: { value in
                if case .blob = value { return false }
                return value.textValue != nil
            }) else {
                throw changed(found, "has no key value to read it by")
            }
            lookups[found.id.key.columns[index], default: []].insert(found.id.key.values[index].textValue!)
        }
        let wanted = Set(batch.map(\.id.key))
        var current: [RecordKey: Record] = [:]
        do {
            for (column, values) in lookups.sorted(by: { $0.key < $1.key }) {
                let match = ColumnMatch(column: column, values: values.sorted().map(Value.text))
                for try await record in store.records(in: collection, where: match) {
                    guard let keyColumns = batch.first?.id.key.columns else { break }
                    let key = RecordKey(of: record, keyColumns: keyColumns)
                    if wanted.contains(key) { current[key] = record }
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
