import CallCenterExample
import DSARKit
import Foundation
import GRDB

/// A fresh copy of the call-centre example, and every email and phone number its database holds,
/// so a test can assert that none of them reaches an output.
struct DraftFixture {
    let dataSet: CallCenterDataSet
    let store: SQLiteStore

    init(_ name: String = #function) throws {
        dataSet = try CallCenterDataSet.generate(into: try ExampleData.temporaryFolder(name), customers: 12, seed: 16)
        store = try SQLiteStore(name: "crm", path: dataSet.databaseURL.path)
    }

    /// Every email and phone value stored, as written and in normal form.
    func identifierValues() throws -> Set<String> {
        let queue = try DatabaseQueue(path: dataSet.databaseURL.path)
        let stored = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT email FROM customers WHERE email IS NOT NULL")
                + String.fetchAll(db, sql: "SELECT mobile FROM customers WHERE mobile IS NOT NULL")
                + String.fetchAll(db, sql: "SELECT caller_number FROM calls WHERE caller_number IS NOT NULL")
        }
        return Set(stored + dataSet.people.flatMap { [$0.email] + $0.phones })
    }

    func draft(regions: [String] = ["FR"]) async throws -> CatalogDraft {
        try await CatalogDraft.read([(CatalogDraft.Store(name: "crm", type: "sqlite", location: dataSet.databaseURL.path), store)],
                                    regions: regions)
    }

    /// `table.column=type` for every identifier of every table collection in store `crm`.
    static func identifiers(_ catalog: Catalog) -> Set<String> {
        Set(catalog.collections.filter { $0.store == "crm" }.flatMap { collection in
            collection.identifiers.map { "\(collection.table ?? "?").\($0.column)=\($0.type)" }
        })
    }

    /// `table.column→table.column` for every reference in store `crm`.
    static func references(_ catalog: Catalog) -> Set<String> {
        let tables = Dictionary(uniqueKeysWithValues: catalog.collections.map { ($0.name, $0.table ?? $0.name) })
        return Set(catalog.collections.filter { $0.store == "crm" }.flatMap { collection in
            collection.references.map { "\(collection.table ?? "?").\($0.column)→\(tables[$0.targetCollection] ?? "?").\($0.targetColumn)" }
        })
    }
}
