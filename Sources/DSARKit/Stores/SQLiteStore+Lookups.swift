import GRDB

extension SQLiteStore {
    /// Every lookup in one read on the database's queue: one statement per lookup and batch
    /// of ``batchSize`` values (under SQLite's variable limit), the same statements as
    /// ``records(in:where:)``.
    public func records(matching lookups: [StoreLookup]) async throws -> [[Record]] {
        guard !lookups.isEmpty else { return [] }
        for lookup in lookups where lookup.collection.table == nil {
            throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(lookup.collection.name)")
        }
        let (name, batchSize) = (self.name, self.batchSize)
        do {
            return try await database.unsafeRead { db in
                try lookups.map { lookup in
                    do {
                        return try Self.records(of: lookup, in: db, batchSize: batchSize)
                    } catch {
                        throw DSARError(.storeFailure, "reading failed", location: "\(name)/\(lookup.collection.table ?? lookup.collection.name)",
                                        cause: error)
                    }
                }
            }
        } catch let error as DSARError {
            if error.code == .storeFailure { logger.error("lookup failed", metadata: ["store": "\(name)"]) }
            throw error
        }
    }

    private static func records(of lookup: StoreLookup, in db: Database, batchSize: Int) throws -> [Record] {
        let match = lookup.match
        let table = quote(lookup.collection.table ?? "")
        let values = match.values.filter { !$0.isNull }
        let column = match.jsonPath.isEmpty ? quote(match.column) : JSONPathValue.sqliteExpression(quote(match.column), path: match.jsonPath)
        let target = match.comparison == .exact ? column : EmailFolding.sqliteExpression(column)
        var records: [Record] = []
        for start in stride(from: 0, to: values.count, by: batchSize) {
            let batch = values[start..<min(start + batchSize, values.count)]
            let arguments = StatementArguments(batch.map(argument))
            if match.comparison == .containing {
                // Identifiers embedded in text: a scan, each value a bound substring.
                let conditions = batch.map { _ in "instr(lower(\(column)), ?) > 0" }.joined(separator: " OR ")
                records += try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(conditions)", arguments: arguments).map(record(from:))
            } else {
                let sql = "SELECT * FROM \(table) WHERE \(target) IN (\(batch.map(placeholder).joined(separator: ",")))"
                let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
                while let row = try cursor.next() { records.append(record(from: row)) }
            }
        }
        return records
    }
}
