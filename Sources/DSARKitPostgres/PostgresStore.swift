import DSARKit
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A store in a PostgreSQL schema, through a pooled postgres-nio client.
///
/// Lookups are `WHERE "column" = ANY($1)` with one bound array (never text built from values),
/// results are streamed row by row, and every column comes back as a ``Value``: integers as
/// integers, floating point as reals, `bytea` as bytes, `boolean` as 0/1, everything else as text.
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
                    guard let query = Self.lookup(table: qualified(table), columns: columns, column: column, match: match) else {
                        continuation.finish()
                        return
                    }
                    let rows = try await client.query(query, logger: logger)
                    for try await row in rows {
                        continuation.yield(try Self.record(from: row, columns: columns))
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
                }
            }
            return CollectionInspection(exists: true, columns: columns.map(\.name), indexedColumns: indexed,
                                        caseInsensitiveIndexedColumns: caseInsensitive, columnFacts: try await columnFacts(of: table))
        } catch let error as DSARError {
            throw error
        } catch {
            throw Self.failure(error, "cannot inspect the table", location: "\(name)/\(table)")
        }
    }

    // MARK: Helpers

    /// Nullability, length limit and whether each column holds text, for checking masks.
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
        return facts
    }

    /// An index expression reduced for comparing: lower-cased, without casts to text, quotes
    /// and whitespace (PostgreSQL prints `x::text` back as `(x)::text` or drops it).
    static func comparable(_ sql: String) -> String {
        sql.lowercased().replacingOccurrences(of: "::text", with: "").replacingOccurrences(of: "::charactervarying", with: "")
            .filter { !$0.isWhitespace && $0 != "\"" && $0 != "(" && $0 != ")" }
    }

    /// Whether an index's leading expression is the one case-insensitive lookups compare
    /// (``EmailFolding/postgresExpression(_:)``), on `column`.
    static func isFoldedIndex(_ comparableExpression: String, of column: String) -> Bool {
        let trimmed = EmailFolding.trimmed.map { Character($0) }.filter { !$0.isWhitespace }
        let expected = "translatebtrim\(column.lowercased()),'\(String(trimmed).lowercased())','abcdefghijklmnopqrstuvwxyz','abcdefghijklmnopqrstuvwxyz'"
        return comparableExpression == expected
    }

    /// Column names and types of a table, in order (empty when it does not exist). Cached.
    func columns(of table: String) async throws -> [PostgresColumn] {
        if let cached = columnCache.withLock({ $0[table] }) { return cached }
        let rows = try await client.query("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = \(schema) AND table_name = \(table) ORDER BY ordinal_position
            """, logger: logger)
        var columns: [PostgresColumn] = []
        for try await (name, type) in rows.decode((String, String).self) {
            columns.append(PostgresColumn(name: name, type: type))
        }
        if !columns.isEmpty { columnCache.withLock { $0[table] = columns } }
        return columns
    }

    func qualified(_ table: String) -> String {
        PostgresColumn.quote(schema) + "." + PostgresColumn.quote(table)
    }

    /// The lookup statement, or `nil` when no value can possibly match (an integer column and
    /// only non-numeric values; text with NUL, which PostgreSQL text cannot hold).
    static func lookup(table: String, columns: [PostgresColumn], column: PostgresColumn, match: ColumnMatch) -> PostgresQuery? {
        let select = columns.map(\.selectExpression).joined(separator: ", ")
        let texts = match.values.compactMap(\.textValue).filter { !$0.utf8.contains(0) }
        var query = PostgresQuery.StringInterpolation(literalCapacity: 128, interpolationCount: 1)
        query.appendLiteral("SELECT \(select) FROM \(table) WHERE ")
        switch (match.comparison, column.kind) {
        case (.exact, .integer):
            let integers = texts.compactMap { Int64($0) }
            guard !integers.isEmpty else { return nil }
            query.appendLiteral("\(column.quoted) = ANY(")
            query.appendInterpolation(integers)
        case (.exact, .text):
            guard !texts.isEmpty else { return nil }
            query.appendLiteral("\(column.quoted) = ANY(")
            query.appendInterpolation(texts)
        case (.exact, _):
            guard !texts.isEmpty else { return nil }
            query.appendLiteral("\(column.quoted)::text = ANY(")
            query.appendInterpolation(texts)
        case (.caseInsensitive, _):
            guard !texts.isEmpty else { return nil }
            query.appendLiteral("\(EmailFolding.postgresExpression(column.quoted)) = ANY(")
            query.appendInterpolation(texts)
        }
        query.appendLiteral(")")
        return PostgresQuery(stringInterpolation: query)
    }

    static func record(from row: PostgresRow, columns: [PostgresColumn]) throws -> Record {
        var values: [Value] = []
        values.reserveCapacity(columns.count)
        for (cell, column) in zip(row, columns) {
            guard cell.bytes != nil else { values.append(.null); continue }
            switch column.kind {
            case .integer: values.append(.integer(try cell.decode(Int64.self)))
            case .real: values.append(.real(try cell.decode(Double.self)))
            case .boolean: values.append(.integer(try cell.decode(Bool.self) ? 1 : 0))
            case .bytes: values.append(.blob(try cell.decode(Data.self)))
            case .text: values.append(.text(try cell.decode(String.self)))
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
