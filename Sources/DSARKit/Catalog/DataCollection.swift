/// A table (or a folder of files) that holds personal data, and how it links to a person.
public struct DataCollection: Sendable, Hashable {
    public var name: String
    /// The store it lives in.
    public var store: String
    /// The table, for table stores.
    public var table: String?
    /// The file-name pattern, for folders of files (`voicemail/{phone}_{received}.wav`).
    public var pattern: FilePattern?
    /// Key columns; empty means the rows are named by all their columns.
    public var key: [String]
    /// Columns (or pattern placeholders) holding identifiers, mapped to identifier type names.
    public var identifiers: [IdentifierColumn]
    /// Columns that point at a column of another collection.
    public var references: [Reference]
    /// A column holding a path to a file in a `files` store.
    public var files: FileLink?
    public var purpose: String?
    public var lawfulBasis: LawfulBasisRule?
    public var categories: [String]
    public var recipients: [String]
    public var retention: String?
    public var source: String?
    public var hold: HoldRule?
    public var erase: ErasureRule
    /// The subject-facing texts in other languages, by language code (`fr`), for catalogs that
    /// give them per language. See ``text(in:)``.
    public var translations: [String: CollectionText]
    public var location: SourceLocation?
    /// Places of the declaration's parts, keyed `references.customer_id`, `identifiers.email`, …
    public var partLocations: [String: SourceLocation]

    public init(
        name: String, store: String, table: String? = nil, pattern: FilePattern? = nil,
        key: [String] = [], identifiers: [IdentifierColumn] = [], references: [Reference] = [],
        files: FileLink? = nil, purpose: String? = nil, lawfulBasis: LawfulBasisRule? = nil,
        categories: [String] = [], recipients: [String] = [], retention: String? = nil,
        source: String? = nil, hold: HoldRule? = nil, erase: ErasureRule = .delete,
        location: SourceLocation? = nil, partLocations: [String: SourceLocation] = [:],
        translations: [String: CollectionText] = [:]
    ) {
        self.name = name
        self.store = store
        self.table = table
        self.pattern = pattern
        self.key = key
        self.identifiers = identifiers
        self.references = references
        self.files = files
        self.purpose = purpose
        self.lawfulBasis = lawfulBasis
        self.categories = categories
        self.recipients = recipients
        self.retention = retention
        self.source = source
        self.hold = hold
        self.erase = erase
        self.location = location
        self.partLocations = partLocations
        self.translations = translations
    }

    /// The identifier type of a column, if it holds identifiers.
    public func identifierType(ofColumn column: String) -> String? {
        identifiers.first { $0.column == column }?.type
    }

    /// Every column the catalog mentions for this collection (for `dsar check`).
    public var mentionedColumns: [String] {
        var columns = key + identifiers.map(\.column) + references.map(\.column)
        if let files { columns.append(files.column) }
        if case .column(let column)? = lawfulBasis { columns.append(column) }
        if let hold { columns.append(hold.column) }
        if case .mask(let masks) = erase { columns += masks.map(\.column) }
        var seen = Set<String>()
        return columns.filter { seen.insert($0).inserted }
    }
}

/// A column that holds values of an identifier type.
public struct IdentifierColumn: Sendable, Hashable {
    public var column: String
    public var type: String
    public init(column: String, type: String) {
        self.column = column
        self.type = type
    }
}

/// `column` points at `targetColumn` of `targetCollection` (a foreign key, declared or not).
public struct Reference: Sendable, Hashable {
    public var column: String
    public var targetCollection: String
    public var targetColumn: String
    public init(column: String, targetCollection: String, targetColumn: String) {
        self.column = column
        self.targetCollection = targetCollection
        self.targetColumn = targetColumn
    }
}

/// A column holding the path of a file inside a `files` store.
public struct FileLink: Sendable, Hashable {
    public var column: String
    public var store: String
    public init(column: String, store: String) {
        self.column = column
        self.store = store
    }
}

/// Why a collection may be processed (GDPR Art. 6(1)).
public enum LawfulBasis: String, Sendable, Hashable, CaseIterable, Codable {
    case consent, contract
    case legitimateInterest = "legitimate_interest"
    case legalObligation = "legal_obligation"
    case vitalInterest = "vital_interest"
    case publicTask = "public_task"
}

/// The lawful basis of a collection: the same for every row, or read from a column per row.
public enum LawfulBasisRule: Sendable, Hashable {
    case fixed(LawfulBasis)
    case column(String)
}

/// Rows that must be kept (Art. 17(3)): while a date column is in the future, or a flag is
/// true, or (with `values`) while the column equals one of the values (`status: DISPUTE`).
public struct HoldRule: Sendable, Hashable {
    public var column: String
    public var reason: String
    /// When set, the row is held while `column` equals one of these values (`when:` in YAML).
    public var values: [String]?
    /// Whether the hold also keeps the records under a held row (its calls, their recordings).
    /// `reachesChildren: false` in YAML holds the row alone.
    public var reachesChildren: Bool
    public init(column: String, reason: String, values: [String]? = nil, reachesChildren: Bool = true) {
        self.column = column
        self.reason = reason
        self.values = values
        self.reachesChildren = reachesChildren
    }
}

/// What erasure does with a collection's rows.
public enum ErasureRule: Sendable, Hashable {
    case delete
    case retain(reason: String)
    case mask([ColumnMask])
}

/// How one column is masked.
public struct ColumnMask: Sendable, Hashable {
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        case null, redact, hash
    }
    public var column: String
    public var strategy: Strategy
    public init(column: String, strategy: Strategy) {
        self.column = column
        self.strategy = strategy
    }
}
