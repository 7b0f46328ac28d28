import Foundation

/// A table (or a folder of files) that holds personal data, and how it links to a person.
public struct DataCollection: Sendable, Hashable {
    public var name: String
    /// The store it lives in.
    public var store: String
    /// The table, for table stores.
    public var table: String?
    /// The file-name pattern, for folders of files (`voicemail/{phone}_{received}.wav`).
    public var pattern: FilePattern?
    /// For a pattern collection, the file beside each file that describes it (Asterisk's
    /// `msg0000.txt`): its fields are columns of the record, and it is one of its files.
    public var sidecar: FileSidecar?
    /// Key columns; empty means the rows are named by all their columns.
    public var key: [String]
    /// Columns (or pattern placeholders) holding identifiers, mapped to identifier type names.
    public var identifiers: [IdentifierColumn]
    /// Columns that point at a column of another collection.
    public var references: [Reference]
    /// Where each row's file lives (a path column, a path built from columns, a URL).
    public var files: FileLink?
    /// Conditions every row of the controller's tenant meets (`scope: { account_id: 3 }`); rows
    /// that do not are another controller's and are never found. Inherited from the store's
    /// `scope` unless the collection gives its own (`scope: {}` for none).
    public var scope: [ColumnCondition] = []
    /// The column that dates each row (`time: started_at`), which `--between DAY..DAY` selects
    /// on: a date, a timestamp written as text starting `YYYY-MM-DD`, or seconds since 1970.
    public var time: String?
    /// How long rows are kept (`keep:`), which ``RetentionSweep`` applies; `nil`: no sweep.
    public var keep: KeepRule?
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
        var columns = key + identifiers.flatMap { [$0.storedColumn] + ($0.countryCode.map { [$0] } ?? []) } + references.flatMap { [$0.column] + $0.conditions.map(\.column) }
        if let files { columns += files.columns }
        if let sidecar { columns += sidecar.fields }
        columns += scope.map(\.column)
        if let time { columns.append(time) }
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
    /// For phone numbers split across two columns: the column holding the country calling code
    /// (`216`), when ``column`` holds the national number (`98123456`).
    public var countryCode: String?
    /// For identifiers embedded in text (a caller id `"Amel Ben Ali" <0698123456>`): a regular
    /// expression whose first group is the value. Lookups then scan the column for the value's
    /// spellings and check each row's extracted value exactly.
    public var extract: String?
    public init(column: String, type: String, countryCode: String? = nil, extract: String? = nil) {
        self.column = column
        self.type = type
        self.countryCode = countryCode
        self.extract = extract
    }

    /// The first group of ``extract``'s first match in `text` (`nil` when it does not match).
    func extracted(from text: String) -> String? {
        guard let extract else { return text }
        guard let expression = ExtractExpressions.compiled(extract) else { return nil }
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, range: whole), match.numberOfRanges > 1,
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    /// The column the value is stored in: `additional_attributes` for `additional_attributes.phone`.
    public var storedColumn: String { String(column.prefix { $0 != "." }) }

    /// For an identifier inside a JSON column (`additional_attributes.phone`), the keys that
    /// lead to it (`["phone"]`); empty for a plain column.
    public var jsonPath: [String] {
        let parts = column.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return Array(parts.dropFirst())
    }

    /// The identifier's text in `record`: the column's value, or with ``countryCode`` the number
    /// written internationally (`+216 98123456`). `nil` when a column is NULL or empty.
    public func rawValue(in record: Record) -> String? {
        guard let value = (record[column] ?? record[storedColumn].flatMap { stored in
            JSONPathValue.text(at: jsonPath, in: stored).map(Value.text)
        })?.textValue.flatMap(extracted(from:)) else { return nil }
        guard let countryCode else { return value }
        let code = (record[countryCode]?.textValue ?? "").filter(\.isNumber).drop { $0 == "0" }
        guard !code.isEmpty else { return value }
        return "+" + code + " " + value
    }
}

/// `column` points at `targetColumn` of `targetCollection` (a foreign key, declared or not).
///
/// A polymorphic link (Rails' `record_type`/`record_id`, ActiveStorage attachments) is one
/// reference per target, each with the `conditions` a row must meet for its column to point
/// there: `record_id` points at `contacts.id` only where `record_type` is `Contact`.
public struct Reference: Sendable, Hashable {
    public var column: String
    public var targetCollection: String
    public var targetColumn: String
    /// Conditions on other columns of the row; empty: the reference always applies.
    public var conditions: [ColumnCondition]
    public init(column: String, targetCollection: String, targetColumn: String, conditions: [ColumnCondition] = []) {
        self.column = column
        self.targetCollection = targetCollection
        self.targetColumn = targetColumn
        self.conditions = conditions
    }

    /// Whether this row's `column` points at `targetCollection` (its conditions hold).
    public func applies(to record: Record) -> Bool {
        conditions.allHold(for: record)
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
