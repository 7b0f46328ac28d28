import DSARKit
import PostgresNIO

extension PostgresStore: SchemaSource {
    /// The store schema's tables (`pg_class`, partitions left out), each column with its base type,
    /// the primary key (`pg_index`) and the foreign keys to tables of the same schema (`pg_constraint`).
    public func schemaTables() async throws -> [SchemaTable] {
        do {
            try await ensureReachable(location: name)
            let rows = try await client.query("""
                SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(schema) AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.oid
                """, logger: logger)
            var names: [String] = []
            for try await table in rows.decode(String.self) { names.append(table) }
            var tables: [SchemaTable] = []
            for table in names {
                let columns = try await self.columns(of: table).map { SchemaColumn(name: $0.name, type: $0.typeName) }
                tables.append(SchemaTable(name: table, columns: columns, primaryKey: try await primaryKey(of: table),
                                          foreignKeys: try await foreignKeys(of: table)))
            }
            return tables
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot read the schema", location: name)
        }
    }

    private func primaryKey(of table: String) async throws -> [String] {
        let rows = try await client.query("""
            SELECT a.attname::text FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE n.nspname = \(schema) AND c.relname = \(table) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, logger: logger)
        var key: [String] = []
        for try await column in rows.decode(String.self) { key.append(column) }
        return key
    }

    private func foreignKeys(of table: String) async throws -> [SchemaForeignKey] {
        let rows = try await client.query("""
            SELECT con.conname::text, a.attname::text, fc.relname::text, fa.attname::text
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class fc ON fc.oid = con.confrelid
            CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(from_number, to_number, position)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.from_number
            JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.to_number
            WHERE con.contype = 'f' AND n.nspname = \(schema) AND c.relname = \(table) AND fc.relnamespace = n.oid
            ORDER BY con.conname, k.position
            """, logger: logger)
        var keys: [(name: String, key: SchemaForeignKey)] = []
        for try await (constraint, column, target, targetColumn) in rows.decode((String, String, String, String).self) {
            if keys.last?.name == constraint {
                keys[keys.count - 1].key.columns.append(column)
                keys[keys.count - 1].key.targetColumns.append(targetColumn)
            } else {
                keys.append((constraint, SchemaForeignKey(columns: [column], targetTable: target, targetColumns: [targetColumn])))
            }
        }
        return keys.map(\.key)
    }

    /// Values of text columns as text; values of any other type count as sampled, never as identifiers
    /// (as SQLite's numbers do).
    public func sampleValues(table: String, column: String, limit: Int) async throws -> [String?] {
        do {
            try await ensureReachable(location: "\(name)/\(table)")
            guard let described = try await columns(of: table).first(where: { $0.name == column }) else { return [] }
            let quoted = PostgresColumn.quote(column)
            let isText = described.kind == .text && described.category == "S"
            let rows = try await client.query("""
                SELECT \(unescaped: isText ? quoted : "NULL::text") FROM \(unescaped: qualified(table))
                WHERE \(unescaped: quoted) IS NOT NULL LIMIT \(limit)
                """, logger: logger)
            var values: [String?] = []
            for try await value in rows.decode(String?.self) { values.append(value) }
            return values
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot sample column '\(column)'", location: "\(name)/\(table)")
        }
    }

    /// Values of integer, text and `uuid` columns as text (`42`); none of any other type.
    public func sampleKeyValues(table: String, column: String, limit: Int) async throws -> [String] {
        do {
            try await ensureReachable(location: "\(name)/\(table)")
            guard let described = try await columns(of: table).first(where: { $0.name == column }),
                  described.kind == .integer || (described.kind == .text && ["S", "U"].contains(described.category)) else { return [] }
            let quoted = PostgresColumn.quote(column)
            let rows = try await client.query("""
                SELECT \(unescaped: quoted)::text FROM \(unescaped: qualified(table)) WHERE \(unescaped: quoted) IS NOT NULL LIMIT \(limit)
                """, logger: logger)
            var values: [String] = []
            for try await value in rows.decode(String.self) { values.append(value) }
            return values
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot sample column '\(column)'", location: "\(name)/\(table)")
        }
    }

    /// A JSON column's values as the server writes them (`{"mobile": "06 12 34 56 78"}`).
    public func sampleJSONText(table: String, column: String, limit: Int) async throws -> [String] {
        do {
            try await ensureReachable(location: "\(name)/\(table)")
            let quoted = PostgresColumn.quote(column)
            let rows = try await client.query("""
                SELECT \(unescaped: quoted)::text FROM \(unescaped: qualified(table)) WHERE \(unescaped: quoted) IS NOT NULL LIMIT \(limit)
                """, logger: logger)
            var values: [String] = []
            for try await value in rows.decode(String.self) { values.append(value) }
            return values
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot sample column '\(column)'", location: "\(name)/\(table)")
        }
    }

    public func sampledValuesFound(table: String, column: String, where condition: (column: String, value: String)?,
                                   parent: String, parentColumn: String, limit: Int) async throws -> (sampled: Int, found: Int) {
        do {
            try await ensureReachable(location: "\(name)/\(table)")
            let quoted = PostgresColumn.quote(column)
            let filter = condition.map { "\(PostgresColumn.quote($0.column))::text" } ?? "''"
            let value = condition?.value ?? ""
            let rows = try await client.query("""
                SELECT count(*)::int8, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM \(unescaped: qualified(parent)) p
                    WHERE p.\(unescaped: PostgresColumn.quote(parentColumn))::text = s.v))::int8
                FROM (SELECT \(unescaped: quoted)::text AS v FROM \(unescaped: qualified(table))
                      WHERE \(unescaped: quoted) IS NOT NULL AND \(unescaped: filter) = \(value) LIMIT \(limit)) s
                """, logger: logger)
            for try await (sampled, found) in rows.decode((Int64, Int64).self) { return (Int(sampled), Int(found)) }
            return (0, 0)
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot compare column '\(column)' with table '\(parent)'", location: "\(name)/\(table)")
        }
    }
}
