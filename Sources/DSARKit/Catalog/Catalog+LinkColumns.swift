extension Catalog {
    /// The columns of `collection` that link its records to people and to other records:
    /// key, identifier, reference and file columns, and the columns other collections
    /// reference. Discovery follows only these; a package re-reads a record by key and checks
    /// that they still hold what discovery saw. `nil` when the collection has no key (its
    /// records are named by all their columns, so every column is a link).
    public func linkColumns(of collection: DataCollection) -> Set<String>? {
        var columns = Set<String>()
        if collection.pattern != nil {
            columns.insert("path")
        } else if collection.key.isEmpty {
            return nil
        }
        columns.formUnion(collection.key)
        columns.formUnion(collection.identifiers.flatMap { [$0.storedColumn] + ($0.countryCode.map { [$0] } ?? []) })
        columns.formUnion(collection.references.flatMap { [$0.column] + $0.conditions.map(\.column) })
        columns.formUnion(children(of: collection.name).map(\.reference.targetColumn))
        if let files = collection.files { columns.formUnion(files.columns) }
        columns.formUnion(collection.scope.map(\.column))
        if let time = collection.time { columns.insert(time) }
        return columns
    }
}

extension Record {
    /// The record with only `columns` (in the record's order); the record itself when `columns` is `nil`.
    func keeping(_ columns: Set<String>?) -> Record {
        guard let columns else { return self }
        var kept: [String] = []
        var values: [Value] = []
        for (column, value) in zip(self.columns, self.values) where columns.contains(column) {
            kept.append(column)
            values.append(value)
        }
        return Record(columns: kept, values: values)
    }
}
