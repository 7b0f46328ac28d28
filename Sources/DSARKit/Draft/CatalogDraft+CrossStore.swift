extension CatalogDraft {
    /// A column of one store named like the key of a table in another store (`calls.customer_id`
    /// in `telephony` → `customers.id` in `crm`), which no table of its own store matches: a guessed
    /// reference when every sampled value is found in that key. Collection names are the catalog's
    /// own, whatever their store, so it is written as any reference (`customer_id: customers.id`).
    /// When the values are found in the keys of tables of several stores, a review note names them
    /// and no reference is written. The sampled values are compared, then dropped: only counts stay.
    static func crossStoreReference(_ column: String, of table: SchemaTable, in schema: DraftSchema, among schemas: [DraftSchema],
                                    sampleSize: Int) async throws -> (references: [Reference], notes: [String]) {
        let candidates = schemas.filter { $0.store.name != schema.store.name }.compactMap { other in
            likelyParent(of: column, in: other.tables, besides: nil).map { (schema: other, table: $0) }
        }
        guard !candidates.isEmpty else { return ([], []) }
        let values = try await schema.source.sampleKeyValues(table: table.name, column: column, limit: sampleSize)
        guard !values.isEmpty else { return ([], []) }
        var matched: [(reference: Reference, place: String)] = []
        for candidate in candidates {
            let key = candidate.table.primaryKey[0]
            guard let target = candidate.schema.names[candidate.table.name],
                  try await candidate.schema.source.valuesFound(values, table: candidate.table.name, column: key) == values.count else { continue }
            let place = "\(candidate.table.name).\(key) of store \(candidate.schema.store.name)"
            matched.append((Reference(column: column, targetCollection: target, targetColumn: key,
                                      evidence: "guess: all \(ColumnEvidence.grouped(values.count)) sampled value\(values.count == 1 ? "" : "s") found in \(place)",
                                      isGuess: true), place))
        }
        guard matched.count > 1 else { return (matched.map(\.reference), []) }
        return ([], ["every sampled value of \(column) is found in " + matched.map(\.place).joined(separator: " and ") + ": write its reference by hand"])
    }
}
