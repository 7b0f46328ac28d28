/// The name of a record inside its collection: the values of the collection's key columns
/// (or of all its columns, for a table without a key). Safe to log: it is how DSARKit names a
/// record instead of quoting its contents.
public struct RecordKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let columns: [String]
    public let values: [Value]

    public init(columns: [String], values: [Value]) {
        self.columns = columns
        self.values = values
    }

    /// The key of `record` given the key columns (all columns when `keyColumns` is empty).
    public init(of record: Record, keyColumns: [String]) {
        if keyColumns.isEmpty {
            self.init(columns: record.columns, values: record.values)
        } else {
            self.init(columns: keyColumns, values: keyColumns.map { record[$0] ?? .null })
        }
    }

    public var description: String {
        zip(columns, values).map { "\($0)=\($1)" }.joined(separator: ",")
    }

    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        for (a, b) in zip(lhs.values, rhs.values) where a != b { return a < b }
        return lhs.values.count < rhs.values.count
    }
}

/// A record's address across the whole catalog: collection and key.
public struct RecordID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let collection: String
    public let key: RecordKey

    public init(collection: String, key: RecordKey) {
        self.collection = collection
        self.key = key
    }

    public var description: String { "\(collection)[\(key)]" }

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool {
        lhs.collection == rhs.collection ? lhs.key < rhs.key : lhs.collection < rhs.collection
    }
}
