import Foundation

/// A place that holds records: a database, a folder of files, a test double.
///
/// Conform to add a store of your own; prove it with `TableStoreConformance` from
/// `DSARKitTesting`. Implementations must treat every value as data (bound parameters, never
/// text spliced into a query), and may batch and stream as they see fit.
public protocol DataStore: Sendable {
    /// The store's name in the catalog.
    var name: String { get }

    /// The records of `collection` whose `match.column` holds one of `match.values`.
    ///
    /// Each matching record is yielded once per call, in any order. NULL never matches.
    func records(in collection: DataCollection, where match: ColumnMatch) -> AsyncThrowingStream<Record, any Error>

    /// What the store knows of a collection: whether it exists, its columns, its indexes.
    func inspect(_ collection: DataCollection) async throws -> CollectionInspection

    /// The records of several lookups at once, one array per lookup in the same order, each
    /// holding what ``records(in:where:)`` yields for it. Discovery sends every lookup of one
    /// round to a store in one call. The default asks ``records(in:where:)`` once per lookup;
    /// a store that can do better (one hop onto its connection, one read) implements it.
    func records(matching lookups: [StoreLookup]) async throws -> [[Record]]
}

/// Which records ``DataStore/records(in:where:)`` returns.
public struct ColumnMatch: Sendable, Hashable {
    public enum Comparison: Sendable, Hashable {
        /// The stored value equals one of the values (an integer column matches the value's
        /// decimal text).
        case exact
        /// The stored text, folded as ``EmailFolding`` folds it (trimmed of its whitespace set,
        /// ASCII letters lower-cased and nothing else), equals one of the values (given
        /// folded). Used for email addresses.
        case caseInsensitive
        /// The stored text, with ASCII letters lower-cased, contains one of the values (given
        /// lower-cased) anywhere: identifiers embedded in text (`"Amel" <0698123456>`), which
        /// the caller extracts and checks exactly afterwards. Reads the whole table.
        case containing
    }

    public var column: String
    public var values: [Value]
    public var comparison: Comparison
    /// When not empty, `column` holds JSON and the value compared is the one at this key
    /// path (`["phone"]`: the `phone` key of the object), as text. Every store must honour
    /// it (`TableStoreConformance` checks): comparing the whole column would find nothing.
    public var jsonPath: [String]

    public init(column: String, values: [Value], comparison: Comparison = .exact, jsonPath: [String] = []) {
        self.column = column
        self.values = values
        self.comparison = comparison
        self.jsonPath = jsonPath
    }

    /// The value compared in `record`: the column's, or the one at ``jsonPath`` inside it.
    public func comparedValue(in record: Record) -> Value? {
        guard !jsonPath.isEmpty else { return record[column] }
        return record[column].flatMap { JSONPathValue.text(at: jsonPath, in: $0) }.map(Value.text) ?? .null
    }
}

/// A store's description of one collection, for `dsar check`.
public struct CollectionInspection: Sendable, Hashable {
    /// Whether the table (or the pattern's folder) exists.
    public var exists: Bool
    /// Column names (or pattern placeholders and `path`).
    public var columns: [String]
    /// Columns that lead an index (so `column IN (…)` is fast). Stores that scan in memory
    /// list every column. An identifier inside a JSON column is listed by its catalog name
    /// (`attributes.phone`) when an expression index serves lookups at that key.
    public var indexedColumns: Set<String>
    /// Columns with an index usable for case-insensitive lookups.
    public var caseInsensitiveIndexedColumns: Set<String>
    /// Columns whose index is on `lower(column)` or `upper(column)`, which case-insensitive
    /// lookups cannot use: they compare ``EmailFolding``'s trimmed, ASCII-only folding.
    public var lowerCaseIndexedColumns: Set<String> = []
    /// Type, nullability and length of the columns the store can describe (none: masks are
    /// not checked ahead).
    public var columnFacts: [String: ColumnFacts]

    public init(exists: Bool, columns: [String] = [], indexedColumns: Set<String> = [],
                caseInsensitiveIndexedColumns: Set<String> = [], columnFacts: [String: ColumnFacts] = [:],
                lowerCaseIndexedColumns: Set<String> = []) {
        self.exists = exists
        self.columns = columns
        self.indexedColumns = indexedColumns
        self.caseInsensitiveIndexedColumns = caseInsensitiveIndexedColumns
        self.columnFacts = columnFacts
        self.lowerCaseIndexedColumns = lowerCaseIndexedColumns
    }
}

extension DataStore {
    /// All matching records, gathered into an array.
    public func allRecords(in collection: DataCollection, where match: ColumnMatch) async throws -> [Record] {
        var records: [Record] = []
        for try await record in self.records(in: collection, where: match) { records.append(record) }
        return records
    }
}

extension ColumnMatch.Comparison {
    /// Whether `stored` matches one of `wanted` (texts as the caller gave them), the way
    /// every store must compare. In-memory implementations use it directly. Texts are equal
    /// when their bytes are, as in a database (Swift's `==` also equates canonically
    /// equivalent texts, such as a Kelvin sign and `K`).
    public func matches(_ stored: Value, _ wanted: Set<String>) -> Bool {
        guard let text = stored.textValue else { return false }
        if self == .containing {
            let folded = Array(text.asciiLowercased().utf8)
            return wanted.contains { value in
                let needle = Array(value.utf8)
                guard !needle.isEmpty, needle.count <= folded.count else { return false }
                return (0...(folded.count - needle.count)).contains { folded[$0..<($0 + needle.count)].elementsEqual(needle) }
            }
        }
        let compared = self == .exact ? text : EmailFolding.fold(text)
        return wanted.contains(compared) && wanted.contains { $0.utf8.elementsEqual(compared.utf8) }
    }
}

extension String {
    func asciiLowercased() -> String {
        String(decoding: utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }
}
