/// A store whose schema can be read and whose columns can be sampled, so a catalog can be
/// drafted from it (`dsar catalog draft`) and checked for columns it misses (`dsar check --coverage`).
///
/// Sampled values stay inside DSARKit: they are classified and counted, never logged, printed or stored.
public protocol SchemaSource: Sendable {
    /// The store's name in the catalog.
    var name: String { get }
    /// Every table, with its columns, primary key and declared foreign keys.
    func schemaTables() async throws -> [SchemaTable]
    /// Up to `limit` non-NULL values of a column, as text (`nil` for a value that is not text:
    /// a number or a blob counts as sampled but never as an identifier).
    func sampleValues(table: String, column: String, limit: Int) async throws -> [String?]
    /// Up to `limit` non-NULL values of a JSON column (`json`, `jsonb`) as their JSON text, for
    /// identifiers inside it. By default, the column's text values.
    func sampleJSONText(table: String, column: String, limit: Int) async throws -> [String]
    /// Of up to `limit` non-NULL values of `table.column` (in rows where `condition` holds, when
    /// given: `sender_type = 'Contact'`), how many were sampled and how many exist in
    /// `parent.parentColumn` (evidence for an undeclared or polymorphic reference).
    func sampledValuesFound(table: String, column: String, where condition: (column: String, value: String)?,
                            parent: String, parentColumn: String, limit: Int) async throws -> (sampled: Int, found: Int)
    /// Up to `limit` non-NULL values of a column as text, integers included (`42`): what a key is
    /// compared by across stores and in file names. By default, the column's text values.
    func sampleKeyValues(table: String, column: String, limit: Int) async throws -> [String]
    /// How many of `values` (repeats counted each time) exist in `table.column`: evidence for a
    /// reference from another store, or for ids inside file names. By default, a lookup through
    /// ``DataStore/records(in:where:)`` when the source is a store; 0 otherwise.
    func valuesFound(_ values: [String], table: String, column: String) async throws -> Int
}

extension SchemaSource {
    public func sampleKeyValues(table: String, column: String, limit: Int) async throws -> [String] {
        try await sampleValues(table: table, column: column, limit: limit).compactMap { $0 }
    }

    public func valuesFound(_ values: [String], table: String, column: String) async throws -> Int {
        let wanted = Array(Set(values)).sorted()
        guard let store = self as? any DataStore, !wanted.isEmpty else { return 0 }
        let collection = DataCollection(name: table, store: name, table: table, key: [column])
        var found: Set<String> = []
        for try await record in store.records(in: collection, where: ColumnMatch(column: column, values: wanted.map(Value.text))) {
            if let text = record[column]?.textValue { found.insert(text) }
        }
        return values.filter(found.contains).count
    }

    public func sampleJSONText(table: String, column: String, limit: Int) async throws -> [String] {
        try await sampleValues(table: table, column: column, limit: limit).compactMap { $0 }
    }

    /// Of up to `limit` non-NULL values of `table.column`, how many were sampled and how many
    /// exist in `parent.parentColumn` (evidence for an undeclared reference).
    public func sampledValuesFound(table: String, column: String, parent: String, parentColumn: String,
                                   limit: Int) async throws -> (sampled: Int, found: Int) {
        try await sampledValuesFound(table: table, column: column, where: nil, parent: parent, parentColumn: parentColumn, limit: limit)
    }
}

/// One table of a live store, as its schema declares it.
public struct SchemaTable: Sendable, Hashable, Codable {
    public var name: String
    public var columns: [SchemaColumn]
    /// The primary key's columns in order (empty: none).
    public var primaryKey: [String]
    public var foreignKeys: [SchemaForeignKey]

    public init(name: String, columns: [SchemaColumn], primaryKey: [String], foreignKeys: [SchemaForeignKey]) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
    }
}

/// One column and its declared type.
public struct SchemaColumn: Sendable, Hashable, Codable {
    public var name: String
    public var type: String

    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// A declared foreign key: `columns` of this table point at `targetColumns` of `targetTable`.
public struct SchemaForeignKey: Sendable, Hashable, Codable {
    public var columns: [String]
    public var targetTable: String
    public var targetColumns: [String]

    public init(columns: [String], targetTable: String, targetColumns: [String]) {
        self.columns = columns
        self.targetTable = targetTable
        self.targetColumns = targetColumns
    }
}
