/// Reading back the rows a step changes.
enum ErasureRows {
    /// The rows of `collection` with the keys `changes` names, by key.
    static func current(_ changes: RowChanges, in collection: DataCollection, stores: StoreSet) async throws -> [[Value]: Record] {
        guard let first = changes.keyColumns.first else { return [:] }
        let keys = changes.deletes + changes.updates.map(\.key)
        let wanted = Set(keys.map { $0.map { $0.textValue ?? "\u{0}NULL" } })
        var rows: [[Value]: Record] = [:]
        let byText = Dictionary(keys.map { ($0.map { $0.textValue ?? "\u{0}NULL" }, $0) }, uniquingKeysWith: { a, _ in a })
        let store = try stores.store(for: collection)
        let match = ColumnMatch(column: first, values: Array(Set(keys.compactMap { $0.first })).sorted())
        for try await record in store.records(in: collection, where: match) {
            let text = changes.keyColumns.map { record[$0]?.textValue ?? "\u{0}NULL" }
            guard wanted.contains(text), let key = byText[text] else { continue }
            rows[key] = record
        }
        return rows
    }
}
