import Foundation
import GRDB

extension SQLiteStore: DatedStore {
    /// `SELECT * FROM "table" WHERE` text dates before the day's text, or seconds since 1970
    /// before its seconds. ISO-8601 text compares as text (`2026-05-31T23:59` < `2026-06-01`
    /// ≤ `2026-06-01 00:00`); text that does not start with `YYYY-MM-DD` never matches.
    public func records(in collection: DataCollection, datedBefore cutoff: CalendarDay,
                        column: String) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    guard let table = collection.table else {
                        throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(collection.name)")
                    }
                    let quoted = Self.quote(column)
                    let sql = """
                        SELECT * FROM \(Self.quote(table)) WHERE \
                        (typeof(\(quoted)) = 'text' AND \(quoted) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND \(quoted) < ?) \
                        OR (typeof(\(quoted)) IN ('integer', 'real') AND \(quoted) < ?)
                        """
                    let arguments: StatementArguments = [cutoff.description, Int64(cutoff.date.timeIntervalSince1970)]
                    let records = try await database.unsafeRead { db in
                        try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record(from:))
                    }
                    for record in records { continuation.yield(record) }
                    continuation.finish()
                } catch let error as DSARError {
                    continuation.finish(throwing: error)
                } catch {
                    continuation.finish(throwing: DSARError(.storeFailure, "reading the rows past their retention failed",
                                                            location: "\(name)/\(collection.table ?? collection.name)", cause: error))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
