/// What a store knows of one column, so `dsar check` can prove that every mask can be
/// written into it before an erasure runs, and a package can write its values with their type.
public struct ColumnFacts: Sendable, Hashable {
    /// The declared type, as the store names it (`INTEGER`, `character varying`).
    public var type: String
    /// Whether the column accepts NULL.
    public var isNullable: Bool
    /// The most characters it holds, when the store enforces a limit (`varchar(20)`).
    public var maximumLength: Int?
    /// Whether it holds text (a `redact` or `hash` mask writes text).
    public var holdsText: Bool
    /// What its values are, for writing them in JSON with their type (`nil`: as they read).
    public var valueKind: ColumnValueKind?

    public init(type: String, isNullable: Bool, maximumLength: Int? = nil, holdsText: Bool, valueKind: ColumnValueKind? = nil) {
        self.type = type
        self.isNullable = isNullable
        self.maximumLength = maximumLength
        self.holdsText = holdsText
        self.valueKind = valueKind
    }
}
