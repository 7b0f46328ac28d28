import DSARKit
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A store in a PostgreSQL schema, through a pooled postgres-nio client.
///
/// Lookups are `WHERE "column" = ANY($1::type[])` with one bound array cast to the column's own
/// type (never text built from values, never the column cast to text), results are streamed row
/// by row, and every column comes back as a ``Value`` (see ``PostgresColumn``): integers as
/// integers, floating point as reals, `bytea` as bytes, everything else as text that reads back
/// as itself (`boolean` as `true`/`false`, dates and times as ISO-8601, `numeric` exactly).
///
/// Catalog declaration: `{ type: postgres, url: "postgres://user@host:5432/db", passwordEnv: NAME,
/// schema: public }`. The password is read from the environment variable `passwordEnv` names;
/// it never sits in the catalog, a log line or an error.
public final class PostgresStore: DataStore {
    public let name: String
    public let schema: String
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    private let columnCache = Mutex<[String: [PostgresColumn]]>([:])
    private let reachable = Mutex(false)
    private let connectTimeout: Duration
    private let address: String

    /// Connects lazily: nothing is sent until the first query.
    public init(name: String, configuration: PostgresClient.Configuration, schema: String = "public",
                logger: Logger = Logger(label: "dsar.store.postgres")) {
        var configuration = configuration
        // Times read in UTC: a timestamptz key reads back as the same text on every client.
        if !configuration.options.additionalStartupParameters.contains(where: { $0.0.lowercased() == "timezone" }) {
            configuration.options.additionalStartupParameters.append(("TimeZone", "UTC"))
        }
        self.connectTimeout = configuration.options.connectTimeout
        self.address = "\(configuration.host ?? "?"):\(configuration.port ?? 5432)"
        self.name = name
        self.schema = schema
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.runTask = Task { await client.run() }
    }

    deinit { runTask.cancel() }

    /// Stops the connection pool.
    public func close() { runTask.cancel() }

    /// Sends `SELECT 1` once and gives up after the connect timeout, so an unreachable server
    /// is reported at once instead of after the pool's retries.
    func ensureReachable(location: String) async throws {
        guard !reachable.withLock({ $0 }) else { return }
        let (client, timeout) = (self.client, connectTimeout)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.query("SELECT 1") }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw CancellationError()
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            reachable.withLock { $0 = true }
        } catch {
            throw DSARError(.storeUnavailable, "cannot connect to PostgreSQL store '\(name)' at \(address)", location: location, cause: error)
        }
    }

    public func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    guard let table = collection.table else {
                        throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(collection.name)")
                    }
                    try await ensureReachable(location: "\(name)/\(table)")
                    let columns = try await self.columns(of: table)
                    guard let column = columns.first(where: { $0.name == match.column }) else {
                        throw DSARError(.storeFailure, "column '\(match.column)' does not exist", location: "\(name)/\(table)")
                    }
                    var match = match
                    var yielded = false
                    for attempt in 0..<2 {
                        guard let query = Self.lookup(table: qualified(table), columns: columns, column: column, match: match) else { break }
                        do {
                            let rows = try await client.query(query, logger: logger)
                            for try await row in rows {
                                continuation.yield(try Self.record(from: row, columns: columns))
                                yielded = true
                            }
                            break
                        } catch let error as PSQLError where attempt == 0 && !yielded && column.comparesInOwnType && Self.isDataException(error) {
                            // A value is no valid text of the column's type (refused before any row): drop those, once.
                            match = try await castable(match, column: column)
                        }
                    }
                    continuation.finish()
                } catch let error as DSARError {
                    continuation.finish(throwing: error)
                } catch {
                    continuation.finish(throwing: Self.failure(error, "reading failed", location: "\(name)/\(collection.table ?? collection.name)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        guard let table = collection.table else { return CollectionInspection(exists: false) }
        do {
            try await ensureReachable(location: "\(name)/\(table)")
            let columns = try await self.columns(of: table)
            guard !columns.isEmpty else { return CollectionInspection(exists: false) }
            var indexed = Set<String>()
            var caseInsensitive = Set<String>()
            var lowerCase = Set<String>()
            // Identifiers inside JSON: the expression lookups compare, by the identifier's catalog name.
            let jsonValues = collection.identifiers.compactMap { identifier -> (String, String)? in
                guard !identifier.jsonPath.isEmpty, let stored = columns.first(where: { $0.name == identifier.storedColumn }) else { return nil }
                return (identifier.column, Self.jsonValue(stored, path: identifier.jsonPath))
            }
            let rows = try await client.query("""
                SELECT pg_get_indexdef(i.indexrelid, 1, true) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(schema) AND c.relname = \(table)
                """, logger: logger)
            for try await leading in rows.decode(String.self) {
                let folded = Self.comparable(leading)
                for column in columns.map(\.name) {
                    if folded == column.lowercased() { indexed.insert(column) }
                    if Self.isFoldedIndex(folded, of: column) { caseInsensitive.insert(column) }
                    if folded == "lower\(column.lowercased())" || folded == "upper\(column.lowercased())" { lowerCase.insert(column) }
                }
                for (name, value) in jsonValues {
                    if folded == Self.comparable(value) { indexed.insert(name) }
                    if Self.isFoldedIndex(folded, of: Self.comparable(value)) { caseInsensitive.insert(name) }
                }
            }
            return CollectionInspection(exists: true, columns: columns.map(\.name), indexedColumns: indexed,
                                        caseInsensitiveIndexedColumns: caseInsensitive, columnFacts: try await columnFacts(of: table),
                                        lowerCaseIndexedColumns: lowerCase)
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot inspect the table", location: "\(name)/\(table)")
        }
    }

    // MARK: Helpers

    /// Nullability, length limit and whether each column holds text, for checking masks; what
    /// its values are, for packages.
    func columnFacts(of table: String) async throws -> [String: ColumnFacts] {
        let rows = try await client.query("""
            SELECT column_name, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name ELSE data_type END, is_nullable,
                   character_maximum_length::int4 FROM information_schema.columns
            WHERE table_schema = \(schema) AND table_name = \(table)
            """, logger: logger)
        var facts: [String: ColumnFacts] = [:]
        for try await (name, type, nullable, length) in rows.decode((String, String, String, Int32?).self) {
            let text = ["text", "character varying", "character", "citext"].contains(type)
            facts[name] = ColumnFacts(type: type, isNullable: nullable == "YES", maximumLength: length.map(Int.init), holdsText: text)
        }
        for column in try await columns(of: table) { facts[column.name]?.valueKind = column.valueKind }
        return facts
    }

    /// An index expression reduced for comparing: lower-cased, without casts to text, quotes
    /// and whitespace (PostgreSQL prints `x::text` back as `(x)::text` or drops it).
    static func comparable(_ sql: String) -> String {
        sql.lowercased().replacingOccurrences(of: "::text", with: "").replacingOccurrences(of: "::charactervarying", with: "")
            .filter { !$0.isWhitespace && $0 != "\"" && $0 != "(" && $0 != ")" }
    }

    /// The text at `path` inside `column`, as lookups compare it
    /// (``JSONPathValue/postgresExpression(_:path:castToJSONB:)``).
    static func jsonValue(_ column: PostgresColumn, path: [String]) -> String {
        JSONPathValue.postgresExpression(column.quoted, path: path, castToJSONB: column.typeName != "jsonb")
    }

    /// Whether an index's leading expression is the one case-insensitive lookups compare
    /// (``EmailFolding/postgresExpression(_:)``), on `column` (a name, or a ``comparable(_:)`` expression).
    static func isFoldedIndex(_ comparableExpression: String, of column: String) -> Bool {
        let trimmed = EmailFolding.trimmed.map { Character($0) }.filter { !$0.isWhitespace }
        let expected = "translatebtrim\(column.lowercased()),'\(String(trimmed).lowercased())','abcdefghijklmnopqrstuvwxyz','abcdefghijklmnopqrstuvwxyz'"
        return comparableExpression == expected
    }

    /// Column names and types of a table, in order (empty when it does not exist). Read once
    /// from `pg_attribute` and cached: a domain's base type, by its qualified internal name and
    /// without the modifier (`pg_catalog.bpchar`: a cast to `varchar(10)`, `timestamp(0)` or
    /// `character`, which means `char(1)`, would truncate or round a looked-up value).
    func columns(of table: String) async throws -> [PostgresColumn] {
        if let cached = columnCache.withLock({ $0[table] }) { return cached }
        let rows = try await client.query("""
            SELECT a.attname::text, quote_ident(bn.nspname) || '.' || quote_ident(bt.typname), bt.typname::text, bt.typcategory::text
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            JOIN pg_namespace bn ON bn.oid = bt.typnamespace
            WHERE n.nspname = \(schema) AND c.relname = \(table) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, logger: logger)
        var columns: [PostgresColumn] = []
        for try await (name, type, typeName, category) in rows.decode((String, String, String, String).self) {
            columns.append(PostgresColumn(name: name, type: type, typeName: typeName, category: category))
        }
        if !columns.isEmpty { columnCache.withLock { $0[table] = columns } }
        return columns
    }

    func qualified(_ table: String) -> String {
        PostgresColumn.quote(schema) + "." + PostgresColumn.quote(table)
    }

    /// The lookup statement, or `nil` when no value can possibly match (an integer column and
    /// only non-numeric values; text with NUL, which PostgreSQL text cannot hold).
    ///
    /// Exact matches compare in the column's own type, `"col" = ANY($1::type[])` with the values
    /// bound as one text array, so `uuid`, dates, enums and `citext` compare as themselves and an
    /// index on the column is used.
    static func lookup(table: String, columns: [PostgresColumn], column: PostgresColumn, match: ColumnMatch) -> PostgresQuery? {
        let texts = lookupTexts(column: column, match: match)
        guard !texts.isEmpty else { return nil }
        let select = columns.map(\.selectExpression).joined(separator: ", ")
        var binds = PostgresBindings()
        let condition: String
        if match.comparison == .containing {
            // Identifiers embedded in text: a scan, each value a bound substring.
            binds.append(texts)
            let value = match.jsonPath.isEmpty ? "\(column.quoted)::text" : jsonValue(column, path: match.jsonPath)
            return PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(table) WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS v " +
                                 "WHERE strpos(translate(\(value), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), v) > 0)",
                                 binds: binds)
        }
        if !match.jsonPath.isEmpty {
            // A value inside a JSON column (`additional_attributes.phone`): the text at the
            // key path, compared as text. The path is the catalog's, written into the SQL, so an
            // expression index on the same expression (`((additional_attributes ->> 'phone'))`) is used.
            binds.append(texts)
            let value = jsonValue(column, path: match.jsonPath)
            let compared = match.comparison == .exact ? value : EmailFolding.postgresExpression(value)
            return PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(table) WHERE \(compared) = ANY($1)", binds: binds)
        }
        switch (match.comparison, column.kind) {
        case (.exact, .integer):
            binds.append(texts.compactMap { Int64($0) })
            condition = "\(column.quoted) = ANY($1)"
        case (.exact, _) where column.comparesInOwnType:
            binds.append(texts)
            condition = "\(column.quoted) = ANY(\(column.arrayCast("$1")))"
        case (.exact, _):
            binds.append(texts)
            condition = "\(column.selectExpression) = ANY($1)"
        case (.caseInsensitive, _), (.containing, _):
            binds.append(texts)
            condition = "\(EmailFolding.postgresExpression(column.quoted)) = ANY($1)"
        }
        return PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(table) WHERE \(condition)", binds: binds)
    }

    /// The texts a lookup binds: no NUL (PostgreSQL text cannot hold it), integers only for an
    /// integer column compared exactly.
    static func lookupTexts(column: PostgresColumn, match: ColumnMatch) -> [String] {
        let texts = match.values.compactMap(\.textValue).filter { !$0.utf8.contains(0) }
        guard match.comparison == .exact, column.kind == .integer, match.jsonPath.isEmpty else { return texts }
        return texts.filter { Int64($0) != nil }
    }

    /// The values of `match` that the server can read as the column's type (a lookup value
    /// that is no `uuid` or date matches nothing; it must not fail the whole lookup). Asked
    /// value by value, only after the server refused the batch.
    func castable(_ match: ColumnMatch, column: PostgresColumn) async throws -> ColumnMatch {
        var kept: [Value] = []
        for value in match.values {
            guard let text = value.textValue, !text.utf8.contains(0) else { continue }
            var binds = PostgresBindings()
            binds.append(text)
            do {
                try await client.query(PostgresQuery(unsafeSQL: "SELECT \(column.cast("$1")) IS NULL", binds: binds), logger: logger)
                kept.append(value)
            } catch let error as PSQLError where Self.isDataException(error) {
                continue
            }
        }
        var castable = match
        castable.values = kept
        return castable
    }

    /// Whether the server refused a value (SQLSTATE class 22: invalid text for a type, out of range).
    static func isDataException(_ error: PSQLError) -> Bool {
        error.serverInfo?[.sqlState]?.hasPrefix("22") == true
    }

    static func record(from row: PostgresRow, columns: [PostgresColumn]) throws -> Record {
        var values: [Value] = []
        values.reserveCapacity(columns.count)
        for (cell, column) in zip(row, columns) {
            guard cell.bytes != nil else { values.append(.null); continue }
            switch column.kind {
            case .integer: values.append(.integer(try cell.decode(Int64.self)))
            case .real: values.append(.real(try cell.decode(Double.self)))
            case .boolean: values.append(.text(try cell.decode(Bool.self) ? "true" : "false"))
            case .bytes: values.append(.blob(try cell.decode(Data.self)))
            case .temporal, .numeric, .text: values.append(.text(try cell.decode(String.self)))
            }
        }
        return Record(columns: columns.map(\.name), values: values)
    }

    /// A ``DSARError`` for a driver error, keeping only the SQLSTATE and constraint or table name:
    /// PostgreSQL's own messages may quote values.
    static func failure(_ error: any Error, _ message: String, location: String) -> DSARError {
        guard let psql = error as? PSQLError else {
            return DSARError(.storeFailure, message + " (the server could not be reached or answered unexpectedly)", location: location, cause: error)
        }
        var details: [String] = []
        if let state = psql.serverInfo?[.sqlState] { details.append("SQLSTATE \(state)") }
        if let constraint = psql.serverInfo?[.constraintName] { details.append("constraint \(constraint)") }
        if let table = psql.serverInfo?[.tableName] { details.append("table \(table)") }
        if details.isEmpty { details.append("connection: \(psql.code)") }
        return DSARError(.storeFailure, "\(message) (\(details.joined(separator: ", ")))", location: location, cause: error)
    }
}

extension PostgresStore {
    /// The underlying client, for setting up tables in tests and tools. Queries sent through it
    /// bypass DSARKit entirely.
    public var adminClient: PostgresClient { client }
}
