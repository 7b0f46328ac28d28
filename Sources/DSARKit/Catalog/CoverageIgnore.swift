/// A column deliberately left out of the catalog, with the reason, so `dsar check --coverage`
/// does not report it: `coverage: { ignore: [ { column: audit_log.actor_email, reason: "staff, not customers" } ] }`.
public struct CoverageIgnore: Sendable, Hashable, Codable {
    /// The table, as named in its store.
    public var table: String
    public var column: String
    public var reason: String

    public init(table: String, column: String, reason: String) {
        self.table = table
        self.column = column
        self.reason = reason
    }
}
