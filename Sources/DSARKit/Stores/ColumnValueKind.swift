/// What a column's values are, beyond how the store returns them, so an access package can write
/// them in JSON with their type: a PostgreSQL `boolean` reads back as the text `true`, a `jsonb`
/// as its text, a `numeric` as exact decimal text, a SQLite `BOOLEAN` as the integer 1.
public enum ColumnValueKind: Sendable, Hashable {
    /// Text, dates, identifiers, enums: JSON strings.
    case text
    /// Integers, floating point and exact decimals: JSON numbers. A decimal a double would
    /// round (more significant digits than a double holds) stays a string of its exact digits.
    case number
    /// `true`/`false` (SQLite stores them as 1 and 0).
    case boolean
    /// A JSON document held as text: written as the JSON itself (a text that is no JSON stays a string).
    case json
}
