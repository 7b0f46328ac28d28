import Foundation
import GRDB

extension SQLiteStore: ErasableStore {
    /// Deletes and overwrites rows in one write transaction. The store must have been
    /// opened with `readOnly: false`.
    ///
    /// SQLite enforces foreign keys for the whole connection, so the transaction runs with
    /// enforcement off and checks references itself: before deleting, every foreign key
    /// that points at the table and is not a declared referrer is looked up for the rows
    /// about to go; one hit rolls everything back with ``DSARError/Code/blockedByReference``
    /// naming the constraint.
    public func apply(_ changes: RowChanges, to collection: DataCollection) async throws {
        guard let table = collection.table else {
            throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(collection.name)")
        }
        guard !changes.isEmpty else { return }
        let place = "\(name)/\(collection.name)"
        do {
            try await database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.inTransaction {
                    try Self.checkReferrers(db, table: table, changes: changes, place: place)
                    try Self.delete(db, table: table, changes: changes)
                    try Self.update(db, table: table, changes: changes)
                    return .commit
                }
            }
        } catch let error as DSARError {
            throw error
        } catch let error as DatabaseError {
            // SQLite's message names tables and columns, never values.
            throw DSARError(.storeFailure, "the change was refused and rolled back: \(error.message ?? "database error")",
                            location: place, cause: error)
        } catch {
            throw DSARError(.storeFailure, "the change failed and was rolled back", location: place, cause: error)
        }
    }

    /// `("a" IS ? AND "b" IS ?)` for one key, and its arguments.
    static func keyCondition(_ columns: [String], _ key: [Value]) -> (String, [DatabaseValue]) {
        let sql = zip(columns, key).map { "\(quote($0)) IS \(placeholder(for: $1))" }.joined(separator: " AND ")
        return ("(\(sql))", key.map(argument(for:)))
    }

    /// The WHERE clause selecting a batch of keys.
    static func keysCondition(_ columns: [String], _ keys: ArraySlice<[Value]>) -> (String, StatementArguments) {
        if columns.count == 1 {
            let placeholders = keys.map { placeholder(for: $0[0]) }.joined(separator: ",")
            return ("\(quote(columns[0])) IN (\(placeholders))", StatementArguments(keys.map { argument(for: $0[0]) }))
        }
        let parts = keys.map { keyCondition(columns, $0) }
        return (parts.map(\.0).joined(separator: " OR "), StatementArguments(parts.flatMap(\.1)))
    }

    private static func checkReferrers(_ db: Database, table: String, changes: RowChanges, place: String) throws {
        guard !changes.deletes.isEmpty else { return }
        let declared = Set(changes.declaredReferrers.map { "\($0.table.lowercased()).\($0.column.lowercased())" })
        let foreignKeys = try Row.fetchAll(db, sql: """
            SELECT m.name AS child, p."from" AS source, p."to" AS target
            FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
            WHERE m.type = 'table' AND p."table" = ? COLLATE NOCASE
            """, arguments: [table])
        let undeclared = foreignKeys.filter { foreignKey in
            let child: String = foreignKey["child"], source: String = foreignKey["source"]
            return !declared.contains("\(child.lowercased()).\(source.lowercased())")
        }
        guard !undeclared.isEmpty else { return }
        let primaryKey = try db.primaryKey(table).columns.first ?? "rowid"
        for foreignKey in undeclared {
            let child: String = foreignKey["child"], source: String = foreignKey["source"]
            let target: String? = foreignKey["target"]
            let targetColumn = target ?? primaryKey
            for start in stride(from: 0, to: changes.deletes.count, by: 200) {
                let batch = changes.deletes[start..<min(start + 200, changes.deletes.count)]
                let (condition, arguments) = keysCondition(changes.keyColumns, batch)
                let sql = """
                    SELECT 1 FROM \(quote(child)) WHERE \(quote(source)) IN \
                    (SELECT \(quote(targetColumn)) FROM \(quote(table)) WHERE \(condition)) LIMIT 1
                    """
                if try Int.fetchOne(db, sql: sql, arguments: arguments) != nil {
                    throw DSARError(
                        .blockedByReference,
                        "rows cannot be deleted: table '\(child)' references them through '\(source)' (foreign key " +
                        "\(child).\(source) → \(table).\(targetColumn)), which the catalog does not declare. Nothing was " +
                        "changed; declare that table in the catalog or settle those rows, then run `dsar erase --resume`",
                        location: place)
                }
            }
        }
    }

    private static func delete(_ db: Database, table: String, changes: RowChanges) throws {
        for start in stride(from: 0, to: changes.deletes.count, by: 200) {
            let batch = changes.deletes[start..<min(start + 200, changes.deletes.count)]
            let (condition, arguments) = keysCondition(changes.keyColumns, batch)
            try db.cachedStatement(sql: "DELETE FROM \(quote(table)) WHERE \(condition)").execute(arguments: arguments)
        }
    }

    private static func update(_ db: Database, table: String, changes: RowChanges) throws {
        for update in changes.updates {
            let assignments = zip(update.columns, update.values).map { "\(quote($0)) = \(placeholder(for: $1))" }
            let (condition, keyArguments) = keyCondition(changes.keyColumns, update.key)
            // Same shape for every row of a step: the prepared statement is reused.
            try db.cachedStatement(sql: "UPDATE \(quote(table)) SET \(assignments.joined(separator: ", ")) WHERE \(condition)")
                .execute(arguments: StatementArguments(update.values.map(argument(for:)) + keyArguments))
        }
    }
}
