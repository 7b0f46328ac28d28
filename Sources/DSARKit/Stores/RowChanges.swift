/// Rows of one collection to delete and to overwrite, by key.
public struct RowChanges: Sendable, Hashable, Codable {
    /// The key columns the keys below are given in (the collection's key, or all columns
    /// of a keyless table).
    public var keyColumns: [String]
    /// Keys of rows to delete, values in ``keyColumns`` order.
    public var deletes: [[Value]]
    /// Rows to overwrite.
    public var updates: [RowUpdate]
    /// Columns of other tables that the catalog declares as references to this
    /// collection. The erasure plan has already dealt with the rows they hold (erased them
    /// first, or keeps them on purpose), so a store does not refuse a delete because of
    /// them; any other reference blocks the delete.
    public var declaredReferrers: [ReferringColumn]

    public init(keyColumns: [String], deletes: [[Value]] = [], updates: [RowUpdate] = [],
                declaredReferrers: [ReferringColumn] = []) {
        self.keyColumns = keyColumns
        self.deletes = deletes
        self.updates = updates
        self.declaredReferrers = declaredReferrers
    }

    public var isEmpty: Bool { deletes.isEmpty && updates.isEmpty }
}

/// New values for some columns of one row.
public struct RowUpdate: Sendable, Hashable, Codable {
    public var key: [Value]
    public var columns: [String]
    public var values: [Value]

    public init(key: [Value], columns: [String], values: [Value]) {
        precondition(columns.count == values.count, "an update needs one value per column")
        self.key = key
        self.columns = columns
        self.values = values
    }
}

/// A column of a table that refers to another table (`calls.customer_id`).
public struct ReferringColumn: Sendable, Hashable, Codable, CustomStringConvertible {
    public var table: String
    public var column: String

    public init(table: String, column: String) {
        self.table = table
        self.column = column
    }

    public var description: String { "\(table).\(column)" }
}
