/// Whether a collection's erasure rule can be carried out on its table, proven before any
/// erasure runs: every mask fits its column, and rows to change can be named by a key.
///
/// Used by `dsar check` and by the planner, which refuses a plan that would fail halfway.
enum ErasureRuleCheck {
    /// Masks the table cannot take: `null` into a NOT NULL column, `redact` or `hash` into a
    /// column that does not hold text, or one too short for what they write. Columns the store
    /// does not describe are not judged.
    static func maskProblems(_ collection: DataCollection, _ inspection: CollectionInspection,
                             catalog: Catalog) -> [CatalogProblem] {
        guard case .mask(let masks) = collection.erase else { return [] }
        return masks.compactMap { mask in
            guard let facts = inspection.columnFacts[mask.column] else { return nil }
            let location = collection.partLocations["mask.\(mask.column)"] ?? collection.partLocations["erase"] ?? collection.location
            let place = catalog.place(location, fallback: "collections.\(collection.name).erase")
            let what = "mask '\(mask.strategy.rawValue)' of column '\(mask.column)' in collection '\(collection.name)'"
            switch mask.strategy {
            case .null where !facts.isNullable:
                return CatalogProblem(.error, place: place, "\(what) cannot be written: the column is NOT NULL",
                                      fix: "use redact or hash for this column, allow NULL in it, or erase: delete")
            case .redact, .hash:
                let written = mask.strategy == .hash ? MaskingKey.hashLength : MaskingKey.redaction.count
                if !facts.holdsText {
                    return CatalogProblem(.error, place: place, "\(what) writes text, but the column is \(facts.type)",
                                          fix: "use null for this column" + (facts.isNullable ? "" : " (after allowing NULL in it)") + ", or erase: delete")
                }
                if let limit = facts.maximumLength, limit < written {
                    return CatalogProblem(.error, place: place,
                                          "\(what) writes \(written) characters, but the column holds at most \(limit)",
                                          fix: "widen the column to \(written) characters, or use "
                                              + (mask.strategy == .hash ? "redact or null" : "null"))
                }
                return nil
            default:
                return nil
            }
        }
    }

    /// A table collection without a key whose rows erasure would change: its rows could only
    /// be named by all their values, which would put them in clear into the journal.
    static func keyProblem(_ collection: DataCollection, catalog: Catalog) -> CatalogProblem? {
        guard collection.table != nil, collection.key.isEmpty else { return nil }
        if case .retain = collection.erase { return nil }
        return CatalogProblem(.error, place: catalog.place(collection.location, fallback: "collections.\(collection.name)"),
                              "collection '\(collection.name)' has no key, so erasure cannot name its rows without copying their contents into the journal",
                              fix: "declare key: with the column(s) that identify a row, or erase: retain with a retainReason")
    }
}
