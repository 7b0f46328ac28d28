/// One row of a collection, as a store returns it: columns in the store's order.
public struct Record: Hashable, Sendable {
    /// Column names and values, in the store's column order.
    public var fields: [(column: String, value: Value)] {
        zip(columns, values).map { ($0, $1) }
    }
    public let columns: [String]
    public let values: [Value]

    public init(columns: [String], values: [Value]) {
        precondition(columns.count == values.count, "a record needs one value per column")
        self.columns = columns
        self.values = values
    }

    public init(_ fields: KeyValuePairs<String, Value>) {
        self.init(columns: fields.map(\.key), values: fields.map(\.value))
    }

    /// The value of a column, or `nil` when the record has no such column.
    public subscript(column: String) -> Value? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        return values[index]
    }
}
