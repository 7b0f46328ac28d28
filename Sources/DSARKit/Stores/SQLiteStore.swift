import Foundation
import GRDB
import Logging

/// A store in one SQLite database file, read through GRDB.
///
/// Lookups are `SELECT * FROM "table" WHERE "column" IN (?, …)` with bound parameters, in
/// batches of ``batchSize`` values; case-insensitive lookups compare
/// ``EmailFolding/sqliteExpression(_:)``, which an expression index of the same shape makes fast.
public final class SQLiteStore: DataStore {
    public let name: String
    public let path: String
    /// How many values one query binds.
    public let batchSize: Int
    let database: DatabaseQueue
    let logger: Logger

    /// Opens an existing database file. It is never created: a missing file is an error.
    public init(name: String, path: String, readOnly: Bool = true, batchSize: Int = 500,
                logger: Logger = Logger(label: "dsar.store.sqlite")) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DSARError(.storeUnavailable, "the SQLite file of store '\(name)' does not exist", location: path)
        }
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.label = "dsar.\(name)"
        configuration.busyMode = .timeout(10)
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            _ = try database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
        } catch {
            throw DSARError(.storeUnavailable, "store '\(name)' is not a readable SQLite database", location: path, cause: error)
        }
        self.name = name
        self.path = path
        self.batchSize = batchSize
        self.logger = logger
    }

    public func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    guard let table = collection.table else {
                        throw DSARError(.unsupported, "collection has no table", location: "\(name)/\(collection.name)")
                    }
                    let values = match.values.filter { !$0.isNull }
                    // A key inside JSON: the path written into the SQL (it is the catalog's, never a
                    // looked-up value), so the expression is the one an expression index is built on.
                    let column = match.jsonPath.isEmpty ? Self.quote(match.column)
                        : JSONPathValue.sqliteExpression(Self.quote(match.column), path: match.jsonPath)
                    let target = match.comparison == .exact ? column : EmailFolding.sqliteExpression(column)
                    if match.comparison == .containing {
                        // Identifiers embedded in text: a scan, each value a bound substring.
                        for start in stride(from: 0, to: values.count, by: batchSize) {
                            let batch = values[start..<min(start + batchSize, values.count)]
                            let conditions = batch.map { _ in "instr(lower(\(column)), ?) > 0" }.joined(separator: " OR ")
                            let sql = "SELECT * FROM \(Self.quote(table)) WHERE \(conditions)"
                            let arguments = StatementArguments(batch.map(Self.argument))
                            let records = try await database.unsafeRead { db in
                                try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record(from:))
                            }
                            for record in records { continuation.yield(record) }
                        }
                        continuation.finish()
                        return
                    }
                    for start in stride(from: 0, to: values.count, by: batchSize) {
                        try Task.checkCancellation()
                        let batch = values[start..<min(start + batchSize, values.count)]
                        let placeholders = batch.map(Self.placeholder).joined(separator: ",")
                        let sql = "SELECT * FROM \(Self.quote(table)) WHERE \(target) IN (\(placeholders))"
                        let arguments = StatementArguments(batch.map(Self.argument))
                        // One statement per batch: no transaction needed around it.
                        let records = try await database.unsafeRead { db in
                            try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments).map(Self.record(from:)).reduce(into: [Record]()) {
                                $0.append($1)
                            }
                        }
                        for record in records { continuation.yield(record) }
                    }
                    continuation.finish()
                } catch let error as DSARError {
                    continuation.finish(throwing: error)
                } catch {
                    logger.error("lookup failed", metadata: ["store": "\(name)", "collection": "\(collection.name)"])
                    continuation.finish(throwing: DSARError(.storeFailure, "reading failed",
                                                            location: "\(name)/\(collection.table ?? collection.name)", cause: error))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func inspect(_ collection: DataCollection) async throws -> CollectionInspection {
        guard let table = collection.table else { return CollectionInspection(exists: false) }
        return try await database.read { db in
            guard try db.tableExists(table) else { return CollectionInspection(exists: false) }
            let infos = try db.columns(in: table)
            let columns = infos.map(\.name)
            var indexed = Set(try db.indexes(on: table).compactMap(\.columns.first))
            if let primaryKey = try? db.primaryKey(table), let first = primaryKey.columns.first {
                indexed.insert(first)
            }
            let indexSQL = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                                               arguments: [table])
                .map(Self.comparable)
            func leads(_ expression: String) -> Bool {
                let expression = Self.comparable(expression)
                return indexSQL.contains { $0.contains("(\(expression))") || $0.contains("(\(expression),") }
            }
            var caseInsensitive = Set(columns.filter { leads(EmailFolding.sqliteExpression($0)) })
            let lowerCase = Set(columns.filter { leads("lower(\($0))") || leads("upper(\($0))") })
            // Identifiers inside JSON: the expression lookups compare, by the identifier's catalog name.
            for identifier in collection.identifiers where !identifier.jsonPath.isEmpty && columns.contains(identifier.storedColumn) {
                let value = JSONPathValue.sqliteExpression(Self.quote(identifier.storedColumn), path: identifier.jsonPath)
                if leads(value) { indexed.insert(identifier.column) }
                if leads(EmailFolding.sqliteExpression(value)) { caseInsensitive.insert(identifier.column) }
            }
            let facts = Dictionary(infos.map { info in
                (info.name, ColumnFacts(type: info.type, isNullable: !info.isNotNull, holdsText: Self.holdsText(declaredType: info.type),
                                        valueKind: Self.valueKind(declaredType: info.type)))
            }, uniquingKeysWith: { first, _ in first })
            return CollectionInspection(exists: true, columns: columns, indexedColumns: indexed,
                                        caseInsensitiveIndexedColumns: caseInsensitive, columnFacts: facts,
                                        lowerCaseIndexedColumns: lowerCase)
        }
    }

    /// Whether a column of this declared type has TEXT affinity, or none (BLOB or no type),
    /// by SQLite's rules: a type containing INT is an integer; CHAR, CLOB or TEXT is text;
    /// BLOB or nothing stores values as given; anything else is numeric.
    static func holdsText(declaredType: String) -> Bool {
        let type = declaredType.uppercased()
        if type.contains("INT") { return false }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return true }
        return type.isEmpty || type.contains("BLOB")
    }

    /// What a column of this declared type holds beyond SQLite's storage classes: `BOOLEAN`
    /// (stored as 1/0), `JSON`/`JSONB` documents (stored as text), numbers (`NUMERIC`, `DECIMAL`,
    /// `REAL`, `INTEGER`…: numeric text in them is a number too). `nil`: values as they read.
    static func valueKind(declaredType: String) -> ColumnValueKind? {
        let type = declaredType.uppercased()
        if type.contains("BOOL") { return .boolean }
        if type == "JSON" || type == "JSONB" { return .json }
        if holdsText(declaredType: declaredType) { return type.isEmpty || type.contains("BLOB") ? nil : .text }
        return .number
    }

    /// SQL text reduced for comparing expressions: lower-cased, without spaces and quotes.
    static func comparable(_ sql: String) -> String {
        sql.lowercased().filter { !$0.isWhitespace && $0 != "\"" && $0 != "`" && $0 != "[" && $0 != "]" }
    }

    /// Text with a NUL inside is bound as bytes cast to text: GRDB binds text up to the first
    /// NUL, which would make `1\0x` look up `1`.
    static func placeholder(for value: Value) -> String {
        if case .text(let text) = value, text.utf8.contains(0) { return "CAST(? AS TEXT)" }
        return "?"
    }

    static func argument(for value: Value) -> DatabaseValue {
        if case .text(let text) = value, text.utf8.contains(0) { return Data(text.utf8).databaseValue }
        return value.databaseValue
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func record(from row: Row) -> Record {
        var columns: [String] = []
        var values: [Value] = []
        columns.reserveCapacity(row.count)
        values.reserveCapacity(row.count)
        for (column, databaseValue) in row {
            columns.append(column)
            values.append(Value(databaseValue))
        }
        return Record(columns: columns, values: values)
    }
}

extension Value {
    init(_ databaseValue: DatabaseValue) {
        switch databaseValue.storage {
        case .null: self = .null
        case .int64(let int): self = .integer(int)
        case .double(let double): self = .real(double)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .blob(data)
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let int): return int.databaseValue
        case .real(let double): return double.databaseValue
        case .text(let string): return string.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }
}
