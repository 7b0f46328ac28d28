import DSARKit
import Foundation
import PostgresNIO

extension PostgresStore: DatedStore {
    /// `SELECT … WHERE "col" < cutoff` in the column's own type: a `date` or `timestamp` against
    /// the day, a `timestamptz` against midnight UTC, an integer (seconds since 1970) against the
    /// day's seconds, text starting `YYYY-MM-DD` against the day's text (compared byte by byte,
    /// `COLLATE "C"`). Any other type is refused, naming the column.
    public func records(in collection: DataCollection, datedBefore cutoff: CalendarDay,
                        column name: String) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    guard let table = collection.table else {
                        throw DSARError(.unsupported, "collection has no table", location: "\(self.name)/\(collection.name)")
                    }
                    try await ensureReachable(location: "\(self.name)/\(table)")
                    let columns = try await self.columns(of: table)
                    guard let column = columns.first(where: { $0.name == name }) else {
                        throw DSARError(.storeFailure, "column '\(name)' does not exist", location: "\(self.name)/\(table)")
                    }
                    var binds = PostgresBindings()
                    let condition: String
                    switch (column.kind, column.typeName) {
                    case (.temporal, "date"), (.temporal, "timestamp"):
                        binds.append(cutoff.description)
                        condition = "\(column.quoted) < $1::date"
                    case (.temporal, "timestamptz"):
                        binds.append(cutoff.description)
                        condition = "\(column.quoted) < ($1::date::timestamp AT TIME ZONE 'UTC')"
                    case (.integer, _):
                        binds.append(Int64(cutoff.date.timeIntervalSince1970))
                        condition = "\(column.quoted) < $1"
                    case (.text, _) where column.comparesInOwnType && column.category != "E":
                        binds.append(cutoff.description)
                        condition = "\(column.quoted)::text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' AND \(column.quoted)::text COLLATE \"C\" < $1"
                    default:
                        throw DSARError(.invalidCatalog, "column '\(name)' is \(column.typeName), not a time column", location: "\(self.name)/\(table)")
                    }
                    let select = columns.map(\.selectExpression).joined(separator: ", ")
                    let query = PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(qualified(table)) WHERE \(condition)", binds: binds)
                    for try await row in try await client.query(query, logger: logger) {
                        continuation.yield(try Self.record(from: row, columns: columns))
                    }
                    continuation.finish()
                } catch let error as DSARError {
                    continuation.finish(throwing: error)
                } catch {
                    continuation.finish(throwing: Self.failure(error, "reading the rows past their retention failed",
                                                               location: "\(self.name)/\(collection.table ?? collection.name)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
