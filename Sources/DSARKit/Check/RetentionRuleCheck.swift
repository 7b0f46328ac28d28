/// Whether a collection's `keep:` rule can be applied to its table, proven before a sweep reads
/// anything: the column exists and holds dates (a date or timestamp type, text, or seconds
/// since 1970). Used by `dsar check` and by ``RetentionSweep``, which refuses to start otherwise.
enum RetentionRuleCheck {
    static func problems(_ collection: DataCollection, _ inspection: CollectionInspection, catalog: Catalog) -> [CatalogProblem] {
        guard let keep = collection.keep else { return [] }
        let place = catalog.place(collection.partLocations["keep"] ?? collection.location, fallback: "collections.\(collection.name).keep")
        guard inspection.columns.contains(keep.column) else {
            return [CatalogProblem(.error, place: place,
                                   "the keep rule of collection '\(collection.name)' names column '\(keep.column)', which does not exist",
                                   fix: "existing columns: " + inspection.columns.joined(separator: ", "))]
        }
        if let facts = inspection.columnFacts[keep.column], !holdsTime(facts.type) {
            return [CatalogProblem(.error, place: place,
                                   "the keep rule of collection '\(collection.name)' names column '\(keep.column)', which is \(facts.type), not a time column",
                                   fix: "name a date, timestamp or text column holding YYYY-MM-DD dates, or one holding seconds since 1970")]
        }
        return []
    }

    /// Whether a column of this declared type can date rows: dates and timestamps, text (dates
    /// written `YYYY-MM-DD…`), integers (seconds since 1970), or no declared type (SQLite).
    static func holdsTime(_ declaredType: String) -> Bool {
        let type = declaredType.lowercased()
        if type.isEmpty { return true }
        if ["time", "timetz", "time without time zone", "time with time zone"].contains(type) { return false }
        for refused in ["bool", "json", "uuid", "blob", "bytea", "interval", "real", "double", "float", "numeric", "decimal", "money", "[]"]
            where type.contains(refused) { return false }
        return ["date", "time", "text", "char", "clob", "int"].contains { type.contains($0) }
    }
}
