import DSARKit
import Foundation
import Logging
import PostgresNIO

extension PostgresStore: ErasableStore {
    /// Deletes and overwrites rows in one transaction (`client.withTransaction`), by key,
    /// with every key and value bound (single-column keys as one `= ANY($1)` array).
    ///
    /// Before deleting, every foreign key that points at the table and is not a declared
    /// referrer is looked up for the rows about to go; one hit rolls everything back with
    /// ``DSARError/Code/blockedByReference`` naming the constraint. PostgreSQL cannot switch
    /// foreign keys off, so a declared referrer whose rows the plan keeps on purpose (retained,
    /// held) and that has a real `REFERENCES` constraint also blocks the delete, with the same
    /// error. Server messages may quote values, so errors keep only SQLSTATE, constraint and
    /// table names.
    public func apply(_ changes: RowChanges, to collection: DataCollection) async throws {
        guard let table = collection.table else {
            throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(collection.name)")
        }
        guard !changes.isEmpty else { return }
        let place = "\(name)/\(collection.name)"
        try await ensureReachable(location: place)
        let columns: [PostgresColumn]
        do { columns = try await self.columns(of: table) } catch {
            throw Self.failure(error, "cannot read the table's columns", location: place)
        }
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for column in changes.keyColumns + changes.updates.flatMap(\.columns) where byName[column] == nil {
            throw DSARError(.storeFailure, "column '\(column)' does not exist; nothing was changed", location: place)
        }
        let keyColumns = changes.keyColumns.compactMap { byName[$0] }
        let target = qualified(table)
        let (schema, logger) = (self.schema, self.logger)
        do {
            try await client.withTransaction(logger: logger) { connection in
                if !changes.deletes.isEmpty {
                    try await Self.checkReferrers(connection, schema: schema, table: table, target: target, keyColumns: keyColumns,
                                                  changes: changes, place: place, logger: logger)
                    for start in stride(from: 0, to: changes.deletes.count, by: 1000) {
                        let batch = changes.deletes[start..<min(start + 1000, changes.deletes.count)]
                        guard let selection = Self.keysCondition(keyColumns, batch) else { continue }
                        let (condition, binds) = selection
                        try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(target) WHERE \(condition)", binds: binds),
                                                   logger: logger)
                    }
                }
                for update in changes.updates {
                    var binds = PostgresBindings()
                    var assignments: [String] = []
                    for (column, value) in zip(update.columns, update.values) {
                        let column = byName[column]!
                        assignments.append("\(column.quoted) = \(try Self.bind(value, for: column, into: &binds, place: place))")
                    }
                    guard let condition = Self.keyCondition(keyColumns, update.key, binds: &binds) else { continue }
                    try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(target) SET \(assignments.joined(separator: ", ")) WHERE \(condition)",
                                                             binds: binds), logger: logger)
                }
            }
        } catch {
            let error = Self.unwrapped(error)
            if let error = error as? DSARError { throw error }
            if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "23503" {
                let constraint = psql.serverInfo?[.constraintName] ?? "?"
                let child = psql.serverInfo?[.tableName] ?? "?"
                throw DSARError(
                    .blockedByReference,
                    "rows cannot be deleted: table '\(child)' still references them (foreign key constraint \(constraint) → \(table)); " +
                    "PostgreSQL enforces it even for rows the catalog keeps on purpose. Nothing was changed; settle those rows " +
                    "or relax the constraint, then run `dsar erase --resume`",
                    location: place)
            }
            throw Self.failure(error, "the change was refused and rolled back", location: place)
        }
    }

    /// The error a transaction closure threw (postgres-nio wraps it).
    static func unwrapped(_ error: any Error) -> any Error {
        guard let transaction = error as? PostgresTransactionError else { return error }
        return transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
    }

    /// Foreign keys pointing at `table` from columns the catalog does not declare: one row
    /// of theirs referring to a row about to be deleted blocks the whole change.
    private static func checkReferrers(_ connection: PostgresConnection, schema: String, table: String, target: String,
                                       keyColumns: [PostgresColumn], changes: RowChanges, place: String, logger: Logger) async throws {
        let declared = Set(changes.declaredReferrers.map { "\($0.table.lowercased()).\($0.column.lowercased())" })
        let rows = try await connection.query("""
            SELECT con.conname, cn.nspname, child.relname, ca.attname, pa.attname
            FROM pg_constraint con
            JOIN pg_class parent ON parent.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = parent.relnamespace
            JOIN pg_class child ON child.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = child.relnamespace
            CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(child_column, parent_column, position)
            JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.child_column
            JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.parent_column
            WHERE con.contype = 'f' AND pn.nspname = \(schema) AND parent.relname = \(table)
            ORDER BY con.conname, k.position
            """, logger: logger)
        struct ForeignKey { var name: String; var schema: String; var child: String; var sources: [String] = []; var targets: [String] = [] }
        var keys: [ForeignKey] = []
        for try await (constraint, childSchema, child, source, parentColumn) in rows.decode((String, String, String, String, String).self) {
            if keys.last?.name != constraint || keys.last?.child != child {
                keys.append(ForeignKey(name: constraint, schema: childSchema, child: child))
            }
            keys[keys.count - 1].sources.append(source)
            keys[keys.count - 1].targets.append(parentColumn)
        }
        for key in keys {
            guard let first = key.sources.first, !declared.contains("\(key.child.lowercased()).\(first.lowercased())") else { continue }
            let child = PostgresColumn.quote(key.schema) + "." + PostgresColumn.quote(key.child)
            let sources = key.sources.map(PostgresColumn.quote).joined(separator: ", ")
            let targets = key.targets.map(PostgresColumn.quote).joined(separator: ", ")
            for start in stride(from: 0, to: changes.deletes.count, by: 1000) {
                let batch = changes.deletes[start..<min(start + 1000, changes.deletes.count)]
                guard let selection = keysCondition(keyColumns, batch) else { continue }
                let (condition, binds) = selection
                let sql = "SELECT 1 FROM \(child) WHERE (\(sources)) IN (SELECT \(targets) FROM \(target) WHERE \(condition)) LIMIT 1"
                let hits = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                var found = false
                for try await _ in hits { found = true }
                if found {
                    let arrow = "\(key.child).\(key.sources.joined(separator: ",")) → \(table).\(key.targets.joined(separator: ","))"
                    throw DSARError(
                        .blockedByReference,
                        "rows cannot be deleted: table '\(key.child)' references them through '\(key.sources.joined(separator: ","))' " +
                        "(foreign key \(arrow), constraint \(key.name)), which the catalog does not declare. Nothing was changed; " +
                        "declare that table in the catalog or settle those rows, then run `dsar erase --resume`",
                        location: place)
                }
            }
        }
    }

    /// The WHERE clause selecting a batch of keys, or `nil` when none of them can match.
    /// A single-column key is one array in the column's own type (`"id" = ANY($1::uuid[])`).
    static func keysCondition(_ columns: [PostgresColumn], _ keys: ArraySlice<[Value]>) -> (String, PostgresBindings)? {
        var binds = PostgresBindings()
        if columns.count == 1, let column = columns.first {
            var parts: [String] = []
            var integers: [Int64] = [], texts: [String] = [], blobs: [Data] = [], hasNull = false
            for key in keys {
                guard let value = key.first else { continue }
                switch (column.kind, value) {
                case (_, .null): hasNull = true
                case (.integer, .integer(let int)): integers.append(int)
                case (.integer, _): if let int = value.textValue.flatMap({ Int64($0) }) { integers.append(int) }
                case (.bytes, .blob(let data)): blobs.append(data)
                case (.bytes, _): break
                default:
                    if let text = value.textValue, !text.utf8.contains(0) { texts.append(text) }
                }
            }
            if !integers.isEmpty {
                binds.append(integers)
                parts.append("\(column.quoted) = ANY($\(binds.count))")
            }
            if !texts.isEmpty {
                binds.append(texts)
                parts.append(column.comparesInOwnType ? "\(column.quoted) = ANY(\(column.arrayCast("$\(binds.count)")))"
                                                      : "\(column.selectExpression) = ANY($\(binds.count))")
            }
            if !blobs.isEmpty {
                binds.append(blobs.map { ByteBuffer(bytes: $0) })
                parts.append("\(column.quoted) = ANY($\(binds.count))")
            }
            if hasNull { parts.append("\(column.quoted) IS NULL") }
            return parts.isEmpty ? nil : ("(" + parts.joined(separator: " OR ") + ")", binds)
        }
        var parts: [String] = []
        for key in keys {
            if let part = keyCondition(columns, key, binds: &binds) { parts.append(part) }
        }
        return parts.isEmpty ? nil : (parts.joined(separator: " OR "), binds)
    }

    /// `("a" = $1::type AND "b" IS NULL …)` for one key, or `nil` when it cannot match.
    static func keyCondition(_ columns: [PostgresColumn], _ key: [Value], binds: inout PostgresBindings) -> String? {
        var parts: [String] = []
        for (column, value) in zip(columns, key) {
            if case .null = value { parts.append("\(column.quoted) IS NULL"); continue }
            guard let placeholder = bindMatching(value, for: column, into: &binds) else { return nil }
            let compared = column.comparesInOwnType || column.kind == .integer || column.kind == .bytes ? column.quoted : column.selectExpression
            parts.append("\(compared) = \(placeholder)")
        }
        return "(" + parts.joined(separator: " AND ") + ")"
    }

    /// Binds a key value in the column's own type (integers as `int8`, `bytea` as bytes, every
    /// other type as text cast by the server: `$1::timestamptz`); `nil` when no stored value can equal it.
    private static func bindMatching(_ value: Value, for column: PostgresColumn, into binds: inout PostgresBindings) -> String? {
        switch (column.kind, value) {
        case (.integer, .integer(let int)): binds.append(int)
        case (.integer, _): guard let int = value.textValue.flatMap({ Int64($0) }) else { return nil }; binds.append(int)
        case (.bytes, .blob(let data)): binds.append(ByteBuffer(bytes: data))
        case (.bytes, _): return nil
        default:
            guard let text = value.textValue, !text.utf8.contains(0) else { return nil }
            binds.append(text)
            return column.comparesInOwnType ? column.cast("$\(binds.count)") : "$\(binds.count)"
        }
        return "$\(binds.count)"
    }

    /// Binds a new value for an update, converted by the server to the column's type.
    private static func bind(_ value: Value, for column: PostgresColumn, into binds: inout PostgresBindings, place: String) throws -> String {
        switch (column.kind, value) {
        case (_, .null): return "NULL"
        case (.integer, .integer(let int)): binds.append(int); return "$\(binds.count)"
        case (.bytes, .blob(let data)): binds.append(ByteBuffer(bytes: data)); return "$\(binds.count)"
        default:
            let text = value.textValue ?? ""
            if text.utf8.contains(0) {
                throw DSARError(.storeFailure, "a new value for column '\(column.name)' holds a NUL character, which PostgreSQL text cannot store; " +
                                "nothing was changed", location: place)
            }
            binds.append(text)
            // A value of another kind than the column (a hash for an integer column): PostgreSQL converts it, or refuses.
            return "CAST($\(binds.count) AS \(column.type))"
        }
    }
}
