/// How email addresses are compared, identically in Swift and in every database.
///
/// A value is folded by removing the characters of ``trimmed`` from both ends and lower-casing
/// the ASCII letters `A`–`Z`, and nothing else. Databases do not agree on Unicode case folding
/// (SQLite's `lower()` changes ASCII only; PostgreSQL's follows the column's collation and turns
/// a Kelvin sign `K` into `k`), so folding more in Swift would merge two addresses the database
/// keeps apart. The SQL expressions below fold exactly the same way, and are what an expression
/// index must be built on for lookups to use it.
public enum EmailFolding {
    /// Unicode White_Space (tab, line feed, vertical tab, form feed, carriage return, space,
    /// next line, no-break space, the typographic spaces, line and paragraph separators) and
    /// the byte-order mark: what trimming removes from both ends.
    public static let trimmed: [Unicode.Scalar] = [
        0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680,
        0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
        0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF,
    ].map { Unicode.Scalar(UInt32($0))! }

    private static let trimmedSet = Set(trimmed)

    /// `text` trimmed of ``trimmed`` and with ASCII letters lower-cased.
    public static func fold(_ text: String) -> String {
        trim(text).asciiLowercased()
    }

    /// `text` without the characters of ``trimmed`` at either end.
    static func trim(_ text: String) -> String {
        var scalars = text.unicodeScalars[...]
        while let first = scalars.first, trimmedSet.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, trimmedSet.contains(last) { scalars.removeLast() }
        return String(scalars)
    }

    /// The SQLite expression of a folded column (`quotedColumn` already quoted):
    /// `lower(trim("email", char(9, 10, …)))`. SQLite's `lower()` changes ASCII letters only.
    public static func sqliteExpression(_ quotedColumn: String) -> String {
        "lower(trim(\(quotedColumn), char(\(trimmed.map { String($0.value) }.joined(separator: ", ")))))"
    }

    /// The PostgreSQL expression of a folded column: `btrim` with the same characters, and
    /// `translate` of `A`–`Z` (PostgreSQL's `lower()` depends on the collation).
    public static func postgresExpression(_ quotedColumn: String) -> String {
        let characters = trimmed.map { "\\" + escape($0.value) }.joined()
        return "translate(btrim(\(quotedColumn)::text, U&'\(characters)'), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    /// Four hex digits, as PostgreSQL's `U&'…'` escapes want them (every trimmed character is
    /// in the Basic Multilingual Plane).
    private static func escape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
