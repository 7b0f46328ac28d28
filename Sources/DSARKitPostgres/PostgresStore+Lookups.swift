import DSARKit
import PostgresNIO

extension PostgresStore {
    /// Every lookup of a discovery round on one connection of the pool, one after the other: one
    /// lease for the round instead of one per lookup, and no task or stream per lookup. Each lookup
    /// is the same `= ANY($1::type[])` query as ``records(in:where:)``, with the same retry when a
    /// value is no valid text of the column's type.
    public func records(matching lookups: [StoreLookup]) async throws -> [[Record]] {
        guard !lookups.isEmpty else { return [] }
        var prepared: [(table: String, columns: [PostgresColumn], column: PostgresColumn, match: ColumnMatch)] = []
        for lookup in lookups {
            guard let table = lookup.collection.table else {
                throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(lookup.collection.name)")
            }
            try await ensureReachable(location: "\(name)/\(table)")
            let columns = try await self.columns(of: table)
            guard let column = columns.first(where: { $0.name == lookup.match.column }) else {
                throw DSARError(.storeFailure, "column '\(lookup.match.column)' does not exist", location: "\(name)/\(table)")
            }
            prepared.append((table, columns, column, lookup.match))
        }
        var results: [[Record]] = []
        results.reserveCapacity(prepared.count)
        var location = "\(name)"
        do {
            try await client.withConnection { connection in
                for lookup in prepared {
                    location = "\(name)/\(lookup.table)"
                    var match = lookup.match
                    var records: [Record] = []
                    for attempt in 0..<2 {
                        guard let query = Self.lookup(table: qualified(lookup.table), columns: lookup.columns,
                                                      column: lookup.column, match: match) else { break }
                        do {
                            for try await row in try await connection.query(query, logger: logger) {
                                records.append(try Self.record(from: row, columns: lookup.columns))
                            }
                            break
                        } catch let error as PSQLError
                                    where attempt == 0 && records.isEmpty && lookup.column.comparesInOwnType && Self.isDataException(error) {
                            // A value is no valid text of the column's type (refused before any row): drop those, once.
                            match = try await castable(match, column: lookup.column)
                        }
                    }
                    results.append(records)
                }
            }
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "reading failed", location: location)
        }
        return results
    }
}
