/// A column or a folder deliberately left out of the catalog, with the reason, so `dsar check
/// --coverage` does not report it: `coverage: { ignore: [ { column: audit_log.actor_email, reason:
/// "staff, not customers" }, { folder: spool/greetings, reason: "the agents' own recordings" } ] }`.
public struct CoverageIgnore: Sendable, Hashable, Codable {
    /// The table, as named in its store (empty for a folder).
    public var table: String
    /// The column (empty for a folder).
    public var column: String
    public var reason: String
    /// For a folder: the files store.
    public var store: String?
    /// For a folder: the folder below the store's root whose files are not reported (empty: the whole store).
    public var folder: String?

    public init(table: String, column: String, reason: String) {
        self.table = table
        self.column = column
        self.reason = reason
    }

    /// Files of `store` at or below `folder` (`""`: all of them).
    public init(store: String, folder: String, reason: String) {
        self.init(table: "", column: "", reason: reason)
        self.store = store
        self.folder = folder
    }

    /// Whether the file at `path` of `store` is below this entry's folder.
    public func covers(store: String, path: String) -> Bool {
        guard let folder, self.store == store else { return false }
        return folder.isEmpty || path.hasPrefix(folder + "/")
    }
}
