import Foundation

/// A store that finds, in one set query, the rows of a collection dated before a day: what a
/// ``RetentionSweep`` reads for each collection with a `keep:` rule.
///
/// The comparison happens in the database, in the column's own type: a `date` or `timestamp`
/// against the day, text written `YYYY-MM-DD…` against the day's text (text that does not start
/// with a date is never taken as past its rule), seconds since 1970 against the day's seconds.
/// NULL is never before anything. Rows outside the collection's `scope` may be returned: the
/// sweep filters them.
public protocol DatedStore: DataStore {
    /// The records of `collection` whose `column` holds a date before `cutoff` (UTC midnight).
    func records(in collection: DataCollection, datedBefore cutoff: CalendarDay, column: String) -> AsyncThrowingStream<Record, any Error>
}
