import Foundation

/// How long a collection's rows are kept (`keep:` in YAML), which a ``RetentionSweep`` applies:
/// `keep: { column: started_at, for: 6 months }` keeps a row for a period after the date in a
/// column; `keep: { until: delete_after }` keeps it through the day a column names.
///
/// Dates are compared by day, in UTC: a row is past its rule once its date falls before
/// ``cutoff(at:)``, so a call of 1 June kept 6 months is swept from 2 December on.
public struct KeepRule: Sendable, Hashable, CustomStringConvertible {
    public enum Limit: Sendable, Hashable {
        /// Kept for this period after the column's date.
        case period(RetentionPeriod)
        /// Kept through the day the column holds.
        case until
    }

    /// The column that dates each row (a date, a timestamp, text starting `YYYY-MM-DD`, or
    /// seconds since 1970).
    public var column: String
    public var limit: Limit

    public init(column: String, limit: Limit) {
        self.column = column
        self.limit = limit
    }

    /// The first day a row must be dated on (or after) to stay at `now`: rows dated before it
    /// are past their rule.
    public func cutoff(at now: Date) -> CalendarDay {
        let today = CalendarDay(now)
        switch limit {
        case .until: return today
        case .period(let period): return period.before(today)
        }
    }

    /// `6 months after started_at`, `until the day in delete_after`.
    public var description: String {
        switch limit {
        case .period(let period): return "\(period) after \(column)"
        case .until: return "until the day in \(column)"
        }
    }
}

/// A retention period: a whole number of days, weeks, months or years (`6 months`, `1 year`).
public struct RetentionPeriod: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        case days, weeks, months, years
    }

    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// Parses `6 months`, `1 year`, `30 days`, `2 weeks` (singular or plural); `nil` for
    /// anything else, a zero or a negative count.
    public init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let count = Int(parts[0]), count > 0, count <= 1000 else { return nil }
        let word = parts[1].lowercased()
        guard let unit = Unit.allCases.first(where: { $0.rawValue == word || $0.rawValue.dropLast() == word }) else { return nil }
        self.init(count: count, unit: unit)
    }

    /// The day this period before `day` (a month back from 31 March is 28 or 29 February).
    public func before(_ day: CalendarDay) -> CalendarDay {
        switch unit {
        case .days: return CalendarDay(day.date.addingTimeInterval(-86_400 * Double(count)))
        case .weeks: return CalendarDay(day.date.addingTimeInterval(-86_400 * 7 * Double(count)))
        case .months: return day.adding(months: -count)
        case .years: return day.adding(months: -12 * count)
        }
    }

    public var description: String {
        "\(count) \(count == 1 ? String(unit.rawValue.dropLast()) : unit.rawValue)"
    }
}
