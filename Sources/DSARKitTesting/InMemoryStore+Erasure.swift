import DSARKit
import Foundation

extension InMemoryStore: ErasableStore, ErasableFileStore {
    /// Applies the changes under one lock: all or nothing. Keys compare like lookups do
    /// (an integer key matches its decimal text). An update naming a column the table lacks
    /// fails and changes nothing.
    public func apply(_ changes: RowChanges, to collection: DataCollection) async throws {
        guard let name = collection.table else {
            throw DSARError(.unsupported, "collection has no table", location: "\(self.name)/\(collection.name)")
        }
        try state.withLock { state in
            guard var table = state.tables[name] else {
                throw DSARError(.storeFailure, "no such table", location: "\(self.name)/\(collection.name)")
            }
            let keyIndexes = try changes.keyColumns.map { column in
                guard let index = table.columns.firstIndex(of: column) else {
                    throw DSARError(.storeFailure, "no key column '\(column)'", location: "\(self.name)/\(collection.name)")
                }
                return index
            }
            func matches(_ row: [Value], _ key: [Value]) -> Bool {
                zip(keyIndexes, key).allSatisfy { row[$0].textValue == $1.textValue && row[$0].isNull == $1.isNull }
            }
            table.rows.removeAll { row in changes.deletes.contains { matches(row, $0) } }
            for update in changes.updates {
                let columns = try update.columns.map { column in
                    guard let index = table.columns.firstIndex(of: column) else {
                        throw DSARError(.storeFailure, "no column '\(column)'", location: "\(self.name)/\(collection.name)")
                    }
                    return index
                }
                for index in table.rows.indices where matches(table.rows[index], update.key) {
                    for (column, value) in zip(columns, update.values) { table.rows[index][column] = value }
                }
            }
            state.tables[name] = table
        }
    }

    @discardableResult
    public func removeFile(at path: String) async throws -> Bool {
        let components = path.split(separator: "/")
        if path.hasPrefix("/") || path.contains("\0") || components.isEmpty || components.contains("..") {
            throw DSARError(.pathEscapesRoot, "a file path leads outside the root of store '\(name)' and was not removed", location: name)
        }
        return state.withLock { $0.files.removeValue(forKey: path) != nil }
    }
}
