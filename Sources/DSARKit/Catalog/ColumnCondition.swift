/// A test on one column of a row: the column holds one of `values` (compared as text,
/// exactly as written). Polymorphic references use it (`when: { record_type: Contact }`).
public struct ColumnCondition: Sendable, Hashable {
    public var column: String
    public var values: [String]

    public init(column: String, values: [String]) {
        self.column = column
        self.values = values
    }

    /// Whether `record` meets the condition. A NULL or absent column never does.
    public func holds(for record: Record) -> Bool {
        guard let text = record[column]?.textValue else { return false }
        return values.contains(text)
    }
}

extension Array where Element == ColumnCondition {
    /// Whether `record` meets every condition (always, when there is none).
    func allHold(for record: Record) -> Bool {
        allSatisfy { $0.holds(for: record) }
    }
}
