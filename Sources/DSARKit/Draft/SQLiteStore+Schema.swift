import GRDB

extension SQLiteStore: SchemaSource {
    public func schemaTables() async throws -> [SchemaTable] {
        do {
            return try await database.read { db in
                let names = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid
                    """)
                return try names.map { try Self.schemaTable($0, db) }
            }
        } catch {
            throw DSARError(.storeFailure, "cannot read the schema of store '\(name)'", location: name, cause: error)
        }
    }

    private static func schemaTable(_ table: String, _ db: Database) throws -> SchemaTable {
        var columns: [SchemaColumn] = []
        var keyed: [(position: Int, column: String)] = []
        for row in try Row.fetchAll(db, sql: "PRAGMA table_info(\(quote(table)))") {
            let column: String = row["name"]
            columns.append(SchemaColumn(name: column, type: row["type"] ?? ""))
            let position: Int = row["pk"] ?? 0
            if position > 0 { keyed.append((position, column)) }
        }
        let primaryKey = keyed.sorted { $0.position < $1.position }.map(\.column)
        var byID: [Int: SchemaForeignKey] = [:]
        var order: [Int] = []
        for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(quote(table)))") {
            let id: Int = row["id"]
            let target: String = row["table"]
            if byID[id] == nil {
                byID[id] = SchemaForeignKey(columns: [], targetTable: target, targetColumns: [])
                order.append(id)
            }
            byID[id]?.columns.append(row["from"])
            // `to` is NULL when the key names the parent table alone: its primary key.
            if let to: String = row["to"] { byID[id]?.targetColumns.append(to) }
        }
        var foreignKeys = order.compactMap { byID[$0] }
        for index in foreignKeys.indices where foreignKeys[index].targetColumns.isEmpty {
            let parentKey = try Row.fetchAll(db, sql: "PRAGMA table_info(\(quote(foreignKeys[index].targetTable)))")
                .filter { ($0["pk"] as Int? ?? 0) > 0 }
                .sorted { ($0["pk"] as Int? ?? 0) < ($1["pk"] as Int? ?? 0) }
                .map { $0["name"] as String }
            foreignKeys[index].targetColumns = parentKey
        }
        return SchemaTable(name: table, columns: columns, primaryKey: primaryKey, foreignKeys: foreignKeys)
    }

    public func sampleValues(table: String, column: String, limit: Int) async throws -> [String?] {
        let sql = "SELECT \(Self.quote(column)) FROM \(Self.quote(table)) WHERE \(Self.quote(column)) IS NOT NULL LIMIT ?"
        do {
            return try await database.read { db in
                try DatabaseValue.fetchAll(db, sql: sql, arguments: [limit]).map { value -> String? in
                    if case .string(let text) = value.storage { return text }
                    return nil
                }
            }
        } catch {
            throw DSARError(.storeFailure, "cannot sample column '\(column)' of table '\(table)'", location: "\(name)/\(table)", cause: error)
        }
    }

    public func sampleKeyValues(table: String, column: String, limit: Int) async throws -> [String] {
        let sql = "SELECT CAST(\(Self.quote(column)) AS TEXT) FROM \(Self.quote(table)) WHERE typeof(\(Self.quote(column))) IN ('integer', 'text') LIMIT ?"
        do {
            return try await database.read { db in try String.fetchAll(db, sql: sql, arguments: [limit]) }
        } catch {
            throw DSARError(.storeFailure, "cannot sample column '\(column)' of table '\(table)'", location: "\(name)/\(table)", cause: error)
        }
    }

    public func sampledValuesFound(table: String, column: String, where condition: (column: String, value: String)?,
                                   parent: String, parentColumn: String, limit: Int) async throws -> (sampled: Int, found: Int) {
        let filter = condition.map { " AND \(Self.quote($0.column)) = ?" } ?? ""
        let sample = "SELECT \(Self.quote(column)) AS v FROM \(Self.quote(table)) WHERE \(Self.quote(column)) IS NOT NULL\(filter) LIMIT ?"
        let arguments: StatementArguments = condition.map { [$0.value, limit] as StatementArguments } ?? [limit]
        let sql = """
            SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM \(Self.quote(parent)) p WHERE p.\(Self.quote(parentColumn)) = s.v)), 0)
            FROM (\(sample)) s
            """
        do {
            return try await database.read { db in
                let row = try Row.fetchOne(db, sql: sql, arguments: arguments)
                let sampled: Int = row?[0] ?? 0
                let found: Int = row?[1] ?? 0
                return (sampled, found)
            }
        } catch {
            throw DSARError(.storeFailure, "cannot compare column '\(column)' of table '\(table)' with '\(parent)'",
                            location: "\(name)/\(table)", cause: error)
        }
    }
}
